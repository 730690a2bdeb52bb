package io.carpoperator.demo;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.VipRunnerFactory;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.SweptNode;
import io.carpoperator.agent.AgentSettings;
import io.carpoperator.agent.ClusterAgent;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.operator.EventRecorder;
import io.carpoperator.operator.OperatorSettings;
import io.carpoperator.operator.StatusWriter;
import io.carpoperator.operator.VhidRegistry;
import io.carpoperator.operator.VirtualIPReconciler;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The cluster side of the demo, with the same code as in a real cluster: Node objects for the lab's nodes, the
 * operator (JOSDK controller on the in-process API), and one ClusterAgent per node whose ucarp and probes run inside
 * that node's network namespace.
 */
final class DemoCluster implements AutoCloseable {
    /** The agents' namespace, where the operator publishes their configuration. */
    static final String NAMESPACE = AgentSettings.DEFAULT_NAMESPACE;
    static final String SECRET_RESOURCE = "/samples/carp-password-secret.yaml";
    private static final Logger LOG = Logger.getLogger(DemoCluster.class);

    private final Lab lab;
    private final KubernetesClient client;
    /** Each node's agent talks to the API with its own node identity, which the admission policy checks. */
    private final Function<String, KubernetesClient> agentClients;
    private final Map<String, KubernetesClient> openAgentClients = new ConcurrentHashMap<>();
    private final Path runDir;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(6, runnable -> {
        Thread thread = new Thread(runnable, "demo-dataplane");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ClusterAgent> agents = new ConcurrentHashMap<>();
    /** Each running agent's environment: closing it ends the node's wire helper with the agent. */
    private final Map<String, DataPlaneEnvironment> environments = new ConcurrentHashMap<>();
    private final Operator operator;

    private DemoCluster(Lab lab, KubernetesClient client, Function<String, KubernetesClient> agentClients, Path runDir, Operator operator) {
        this.lab = lab;
        this.client = client;
        this.agentClients = agentClients;
        this.runDir = runDir;
        this.operator = operator;
    }

    static DemoCluster start(Lab lab, KubernetesClient client, Function<String, KubernetesClient> agentClients, OperatorSettings settings,
            Path runDir, Clock clock) {
        for (String namespace : List.of(settings.namespace(), settings.agent().namespace())) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        for (LabNode node : lab.nodes()) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node.name())
                    .withLabels(Map.of("kubernetes.io/hostname", node.name(), "kubernetes.io/os", "linux")).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress(node.heartbeatAddress()).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(node.name()).endAddress().endStatus()
                    .build()).create();
        }
        client.secrets().inNamespace(settings.namespace()).resource(samplePasswordSecret()).create();

        Operator operator = new Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(false));
        operator.register(new VirtualIPReconciler(settings, client, new VhidRegistry(),
                new StatusWriter(client), new EventRecorder(client, clock), clock));
        operator.start();
        DemoCluster cluster = new DemoCluster(lab, client, agentClients, runDir, operator);
        lab.nodes().forEach(cluster::startAgent);
        return cluster;
    }

    /** deploy/samples/carp-password-secret.yaml as written (stringData); the API server stores it as data. */
    static Secret samplePasswordSecret() {
        try (InputStream in = DemoCluster.class.getResourceAsStream(SECRET_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + SECRET_RESOURCE);
            }
            return Serialization.unmarshal(in, Secret.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the node's agent, as the DaemonSet's pod on that node would start. */
    void startAgent(LabNode node) {
        agents.computeIfAbsent(node.name(), name -> {
            var settings = new AgentSettings(name, node.heartbeatAddress(), NAMESPACE, runDir.resolve(name), 0,
                    AgentSettings.DEFAULT_STALENESS);
            var environment = DataPlaneEnvironment.forHost(settings.runDir(), List.of("ip", "netns", "exec", node.namespace()),
                    scheduler, new AgentMetrics());
            environments.put(name, environment);
            LOG.infof("starting the agent of %s (ucarp and probes in namespace %s)", name, node.namespace());
            SweptNode swept;
            try {
                // one state directory per node: the lab's nodes share this host's file system
                swept = SweptNode.sweep(runDir.resolve("state-" + name), environment);
            } catch (IOException e) {
                throw new UncheckedIOException("the state directory of " + name, e);
            }
            KubernetesClient own = openAgentClients.computeIfAbsent(name, agentClients);
            return new ClusterAgent(own, settings, new VipRunnerFactory(swept.environment()), swept.journal()).start();
        });
    }

    /** Stops the node's agent the way SIGTERM does in a pod: a master hands its VIPs over first. */
    void stopAgent(LabNode node) {
        ClusterAgent agent = agents.remove(node.name());
        if (agent != null) {
            agent.close();
        }
        DataPlaneEnvironment environment = environments.remove(node.name());
        if (environment != null) {
            environment.close();
        }
    }

    Lab lab() {
        return lab;
    }

    @Override
    public void close() {
        // agents first, in parallel, while the lab's namespaces still exist so their ucarp can be stopped there
        List<Thread> stopping = lab.nodes().stream().map(node -> {
            Thread thread = new Thread(() -> stopAgent(node), "demo-stop-" + node.name());
            thread.start();
            return thread;
        }).toList();
        for (Thread thread : stopping) {
            try {
                thread.join(ClusterAgent.SHUTDOWN_BUDGET.toMillis() + 3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            operator.stop();
        } catch (RuntimeException e) {
            LOG.debugf("stopping the operator: %s", e.getMessage());
        }
        scheduler.shutdownNow();
        openAgentClients.values().forEach(KubernetesClient::close);
    }
}
