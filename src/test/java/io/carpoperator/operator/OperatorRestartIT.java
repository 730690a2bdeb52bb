package io.carpoperator.operator;

import static io.carpoperator.operator.OperatorTestSupport.vip;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.Phase;
import io.carpoperator.testing.WithStrictKubernetesTestServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An operator restart keeps every VHID and writes nothing to VirtualIPs whose status is already current. */
@QuarkusTest
@TestProfile(OperatorRestartIT.OwnServer.class)
@WithStrictKubernetesTestServer
class OperatorRestartIT {

    /** A profile of its own gives this class its own application and mock API server, so it may stop the operator. */
    public static class OwnServer implements QuarkusTestProfile {
    }

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    @Inject
    OperatorSettings settings;

    @KubernetesTestServer
    KubernetesMockServer server;

    @Test
    void aRestartedOperatorKeepsVhidsAndMakesNoWritesInSteadyState() throws Exception {
        var cluster = new OperatorTestSupport(client);
        cluster.createNodesAndSecret();
        cluster.create(vip("one", "198.51.100.10/24"));
        cluster.awaitStatus("one", v -> Integer.valueOf(1).equals(v.getStatus().vhid));
        cluster.create(vip("two", "198.51.100.11/24"));
        cluster.awaitStatus("two", v -> Integer.valueOf(2).equals(v.getStatus().vhid));
        for (String node : List.of("node-a", "node-b", "node-c")) {
            cluster.report("one", node, node.equals("node-a") ? NodeState.MASTER : NodeState.BACKUP);
            cluster.report("two", node, node.equals("node-b") ? NodeState.MASTER : NodeState.BACKUP);
        }
        cluster.awaitStatus("one", v -> v.getStatus().phase == Phase.Ready);
        cluster.awaitStatus("two", v -> v.getStatus().phase == Phase.Ready);
        // live agents refresh their NodeReports; that alone must cost no VirtualIP write, before or after the restart
        try (AutoCloseable agents = cluster.keepRefreshing(Duration.ofSeconds(1))) {
            steadyStateAcrossARestart(cluster);
        }
    }

    private void steadyStateAcrossARestart(OperatorTestSupport cluster) throws Exception {
        assertThat(patchesOfVirtualIPsDuring(3000)).as("PATCH requests of a running operator in steady state").isZero();

        var config = client.getConfiguration();
        operator.stop(); // QOSDK closes its client on stop: everything after the restart uses a new one
        try (KubernetesClient fresh = new KubernetesClientBuilder().withConfig(config).build()) {
            var freshCluster = cluster.using(fresh);
            var restarted = OperatorTestSupport.startOperator(fresh, settings);
            try (AutoCloseable agents = freshCluster.keepRefreshing(Duration.ofSeconds(1))) {
                assertThat(patchesOfVirtualIPsDuring(3000)).as("PATCH requests after a restart in steady state").isZero();
                assertThat(freshCluster.get("one").getStatus().vhid).isEqualTo(1);
                assertThat(freshCluster.get("two").getStatus().vhid).isEqualTo(2);
                assertThat(freshCluster.get("one").getStatus().phase).isEqualTo(Phase.Ready);

                freshCluster.create(vip("three", "198.51.100.12/24"));
                assertThat(freshCluster.awaitStatus("three", v -> v.getStatus().vhid != null).getStatus().vhid)
                        .as("the restarted operator knows 1 and 2 are taken").isEqualTo(3);
            } finally {
                restarted.stop();
            }
        }
    }

    /** Counts PATCH requests on VirtualIPs the mock API server receives in the given window (status writes included). */
    private long patchesOfVirtualIPsDuring(long millis) throws InterruptedException {
        var mock = server;
        while (mock.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // drop everything before the window
        }
        Thread.sleep(millis);
        long patches = 0;
        for (var request = mock.takeRequest(10, TimeUnit.MILLISECONDS); request != null; request = mock.takeRequest(10, TimeUnit.MILLISECONDS)) {
            if ("PATCH".equals(request.getMethod()) && request.getPath().contains("/virtualips/")) {
                patches++;
            }
        }
        return patches;
    }
}
