package io.carpoperator.agent;

import static io.carpoperator.agent.AgentFixtures.KEY;
import static io.carpoperator.agent.AgentFixtures.NAMESPACE;
import static io.carpoperator.agent.AgentFixtures.NODE;
import static io.carpoperator.agent.AgentFixtures.NODE_IP;
import static io.carpoperator.agent.AgentFixtures.SECRET;
import static io.carpoperator.agent.AgentFixtures.resolved;
import static io.carpoperator.agent.AgentFixtures.secret;
import static io.carpoperator.agent.AgentFixtures.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.dataplane.NodeStateJournal;
import io.carpoperator.dataplane.RecordedVip;
import io.carpoperator.dataplane.VipSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restarted while the API server is unreachable serves the VIPs it recorded for its node, and once the API
 * server answers its configuration takes over. The API server here is a closed port on the loopback interface.
 */
class ClusterAgentFallbackTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path stateDir;

    private KubernetesClient unreachable;
    private ClusterAgent agent;
    private final FakeDataPlanes planes = new FakeDataPlanes("198.51.100.2");

    @BeforeEach
    void unreachableApiServer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:" + closedPort).withConnectionTimeout(200).withRequestTimeout(200)
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        unreachable.close();
    }

    private static AgentSettings settings() {
        return new AgentSettings(NODE, NODE_IP, NAMESPACE, Path.of("/tmp/carp-agent-test"), 0, Duration.ofSeconds(30),
                Path.of("/unused"), GRACE);
    }

    /** What the agent would have started from the API server's configuration, as the previous run recorded it. */
    private static VipSettings desired(ConfigMap config) {
        DesiredVip want = new DesiredVips(NODE, NODE_IP, NAMESPACE).desired(config.getMetadata().getName(), config,
                name -> secret(SECRET, KEY, "s3cret"), null, false);
        return ((DesiredVip.Run) want).settings();
    }

    private NodeStateJournal journal() throws IOException {
        return NodeStateJournal.open(stateDir, Clock.systemUTC());
    }

    @Test
    void servesTheVipsRecordedForThisNodeWhenTheApiServerDoesNotAnswerWithinTheGrace() throws IOException {
        NodeStateJournal previous = journal();
        VipSettings web = desired(vip("web", resolved("198.51.100.10/24", 1, NODE)));
        VipSettings db = desired(vip("db", resolved("198.51.100.20/24", 2, NODE)));
        previous.recordVip(NODE, web);
        previous.recordVip(NODE, db);
        previous.recordVip("node-b", desired(vip("elsewhere", resolved("198.51.100.30/24", 3, NODE))));
        Files.writeString(stateDir.resolve("vip-future.json"), "{\"format\": 9, \"address\": \"198.51.100.40\", \"prefixLength\": 24}");

        agent = new ClusterAgent(unreachable, settings(), planes, journal()).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.runningVips().size() == 2);
        assertThat(agent.runningVips()).isEqualTo(Map.of("web", web, "db", db));
        assertThat(planes.calls).containsExactlyInAnyOrder("start db", "start web");
        assertThat(agent.isSynced()).isFalse();

        agent.close();
        assertThat(journal().previousRun().vips()).as("handed over at shutdown, still wanted: kept for the next start")
                .extracting(RecordedVip::name).contains("db", "web");
    }

    @Test
    void withNothingRecordedServesNothing() throws IOException {
        agent = new ClusterAgent(unreachable, settings(), planes, journal()).start();
        await().pollDelay(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(planes.calls).isEmpty();
    }

    @Test
    void withoutAJournalNothingIsServedFromARecord() throws IOException {
        journal().recordVip(NODE, desired(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        agent = new ClusterAgent(unreachable, settings(), planes, NodeStatusReporter.forCluster(unreachable, settings())).start();
        await().pollDelay(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(planes.calls).isEmpty();
    }
}
