package io.carpoperator;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.VipRunnerFactory;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.LoopHeartbeat;
import io.carpoperator.dataplane.SweptNode;
import io.carpoperator.agent.AgentHttpServer;
import io.carpoperator.agent.AgentSettings;
import io.carpoperator.agent.ClusterAgent;
import io.carpoperator.agent.HealthVerdict;
import io.carpoperator.agent.StandaloneAgent;
import io.carpoperator.demo.DemoRun;
import io.carpoperator.operator.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
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
                         CARP_AGENT_STATE_DIR, CARP_AGENT_API_GRACE, CARP_AGENT_HEALTH_PORT,
                         CARP_STATUS_STALENESS)
              agent --standalone [UCARP AND WATCHDOG OPTIONS]
                         run one VIP without Kubernetes; takes ucarp's own command line, -zP and --vhid=1 alike
                         (see agent --standalone --help)
              demo [--scenario NAME] [--hold]
                         as root: a three-node lab with real ucarp, an in-process Kubernetes API, the operator and
                         one agent per node, playing failover, isolation and handover (see demo --help)
            """;

    @Inject
    Instance<Operator> operator;

    @Inject
    Instance<KubernetesClient> kubernetesClient;

    @Inject
    Instance<OperatorSettings> operatorSettings;

    private volatile DemoRun demo;

    private volatile ClusterAgent clusterAgent;
    private volatile Runnable standaloneShutdown;

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
                if (rest.length > 0 && rest[0].equals("--standalone")) {
                    return StandaloneAgent.run(Arrays.copyOfRange(rest, 1, rest.length), hook -> standaloneShutdown = hook);
                }
                return runClusterAgent(rest);
            case "demo":
                DemoRun run = new DemoRun(operatorSettings.get(), System.out, System.err);
                demo = run;
                return run.run(List.of(rest));
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
        var scheduler = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "carp-dataplane");
            thread.setDaemon(true);
            return thread;
        });
        AgentMetrics metrics = new AgentMetrics();
        // before anything else starts: a previous run killed without cleanup may have left addresses behind
        SweptNode node = SweptNode.sweepOrRunWithout(settings.stateDir(), AgentSettings.STATE_DIR,
                DataPlaneEnvironment.forHost(settings.runDir(), List.of(), scheduler, metrics));
        ClusterAgent agent = new ClusterAgent(kubernetesClient.get(), settings, new VipRunnerFactory(node.environment()), node.journal());
        metrics.countStatusWriteFailuresFrom(agent::statusWriteFailures);
        LoopHeartbeat heartbeat = LoopHeartbeat.start(scheduler, node.environment().clock());
        AgentHttpServer http;
        try {
            http = AgentHttpServer.start(new InetSocketAddress(settings.healthPort()), metrics,
                    () -> HealthVerdict.of(heartbeat.stall()).and(agent.liveness()), agent::readiness);
        } catch (IOException e) {
            System.err.println("carp-operator agent: cannot serve /healthz, /readyz and /metrics on port " + settings.healthPort()
                    + ": " + e.getMessage());
            return 1;
        }
        clusterAgent = agent;
        agent.start();
        LOG.infof("agent on node %s: health and metrics on port %d", settings.nodeName(), http.port());
        Quarkus.waitForExit();
        agent.close();
        http.close();
        metrics.close();
        scheduler.shutdownNow();
        return 0;
    }

    /** SIGTERM: Quarkus stops the application from its shutdown hook; hand the VIPs over before the client closes. */
    void onShutdown(@Observes ShutdownEvent event) {
        ClusterAgent agent = clusterAgent;
        if (agent != null) {
            agent.close();
        }
        DemoRun run = demo;
        if (run != null) {
            run.shutdown();
        }
        Runnable standalone = standaloneShutdown;
        if (standalone != null) {
            standalone.run();
        }
    }
}
