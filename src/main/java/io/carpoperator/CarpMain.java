package io.carpoperator;

import io.carpoperator.agent.AgentSettings;
import io.carpoperator.agent.ClusterAgent;
import io.carpoperator.agent.VipDataPlaneFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import io.javaoperatorsdk.operator.Operator;
import java.util.Arrays;
import org.jboss.logging.Logger;

/** One jar, several modes chosen by the first argument; only `operator` starts the JOSDK controllers. */
@QuarkusMain
public class CarpMain implements QuarkusApplication {
    static final int USAGE_ERROR = 2;
    private static final Logger LOG = Logger.getLogger(CarpMain.class);
    static final String USAGE = """
            usage: carp-operator MODE [ARGS]
              operator   run the VirtualIP controller (in a cluster: the Deployment in deploy/)
              agent      run the node agent for the VirtualIPs that select this node (in a cluster: the DaemonSet the
                         operator manages; reads NODE_NAME, NODE_IP, CARP_NAMESPACE, CARP_AGENT_RUN_DIR,
                         CARP_AGENT_HEALTH_PORT, CARP_STATUS_STALENESS)
            """;

    @Inject
    Instance<Operator> operator;

    @Inject
    Instance<KubernetesClient> kubernetesClient;

    @Inject
    Instance<VipDataPlaneFactory> dataPlanes;

    @Inject
    Instance<MeterRegistry> meterRegistry;

    private volatile ClusterAgent clusterAgent;

    public static void main(String... args) {
        Quarkus.run(CarpMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? USAGE_ERROR : 0;
        }
        String mode = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (mode) {
            case "operator":
                if (rest.length > 0) {
                    System.err.println("carp-operator: mode 'operator' takes no arguments, got " + String.join(" ", rest));
                    return USAGE_ERROR;
                }
                LOG.info("starting carp-operator in operator mode");
                operator.get().start();
                Quarkus.waitForExit();
                return 0;
            case "agent":
                if (Arrays.asList(rest).contains("--standalone")) {
                    System.err.println("carp-operator: 'agent --standalone' is not available in this build");
                    return USAGE_ERROR;
                }
                return runClusterAgent(rest);
            default:
                System.err.println("carp-operator: unknown mode '" + mode + "'\n" + USAGE);
                return USAGE_ERROR;
        }
    }

    /** The agent in a cluster: no JOSDK controllers, only the informers and data planes of this node. */
    private int runClusterAgent(String[] rest) {
        if (rest.length > 0) {
            System.err.println("carp-operator: mode 'agent' takes no arguments but --standalone, got " + String.join(" ", rest));
            return USAGE_ERROR;
        }
        AgentSettings settings;
        try {
            settings = AgentSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("carp-operator agent: " + e.getMessage());
            return USAGE_ERROR;
        }
        if (!dataPlanes.isResolvable()) {
            System.err.println("carp-operator agent: this build has no data plane (no VipDataPlaneFactory bean)");
            return 1;
        }
        ClusterAgent agent = new ClusterAgent(kubernetesClient.get(), settings, dataPlanes.get());
        if (meterRegistry.isResolvable()) {
            FunctionCounter.builder("carp.agent.status.write.failures", agent, ClusterAgent::statusWriteFailures)
                    .description("Failed writes of this node's status.nodes entries").register(meterRegistry.get());
        }
        clusterAgent = agent;
        agent.start();
        Quarkus.waitForExit();
        agent.close();
        return 0;
    }

    /** SIGTERM: Quarkus stops the application from its shutdown hook; hand the VIPs over before the client closes. */
    void onShutdown(@Observes ShutdownEvent event) {
        ClusterAgent agent = clusterAgent;
        if (agent != null) {
            agent.close();
        }
    }
}
