package io.carpoperator.agent;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.SweptNode;
import io.carpoperator.dataplane.VipRunnerFactory;
import io.carpoperator.testing.ConsoleLogging;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The cluster agent as {@code carp-operator agent} wires it (sweep, journal, ClusterAgent), without Quarkus, as its own
 * process so a lab test can kill it with SIGKILL; its data plane runs in a lab node's namespace.
 * Arguments: MASTER_URL NODE NODE_IP NETNS RUN_DIR STATE_DIR API_GRACE_SECONDS.
 */
public final class ClusterAgentMain {

    private ClusterAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        ConsoleLogging.install();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(args[0])
                .withTrustCerts(true).withConnectionTimeout(1000).withRequestTimeout(2000).withHttp2Disable(true).build()).build();
        var settings = new AgentSettings(args[1], args[2], AgentFixtures.NAMESPACE, Path.of(args[4]), 0, Duration.ofSeconds(30),
                Path.of(args[5]), Duration.ofSeconds(Long.parseLong(args[6])));
        var scheduler = Executors.newScheduledThreadPool(4);
        var environment = DataPlaneEnvironment.forHost(settings.runDir(), List.of("ip", "netns", "exec", args[3]), scheduler,
                new AgentMetrics());
        SweptNode node = SweptNode.sweep(settings.stateDir(), environment);
        ClusterAgent agent = new ClusterAgent(client, settings, new VipRunnerFactory(node.environment()), node.journal()).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
