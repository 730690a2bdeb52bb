package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.WireConflict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeReport;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.carpoperator.operator.VirtualIPReconcilerIT;
import io.carpoperator.testing.WithStrictKubernetesTestServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's Kubernetes half against the mock API server, with the operator running too (it publishes the
 * configuration the agent acts on and aggregates the agent's NodeReport) and a fake data plane that records what the
 * agent asks of it.
 */
@QuarkusTest
@WithStrictKubernetesTestServer
class AgentClusterIT {
    static final String NAMESPACE = "carp-system";
    static final String AGENT_NAMESPACE = AgentSettings.DEFAULT_NAMESPACE;
    static final String NODE = "node-a";
    static final String NODE_IP = "203.0.113.1";
    static final String OWN_ADDRESS = "198.51.100.2";
    static final String HOLD = "carp-operator.io/test-hold";
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    KubernetesClient client;

    FakeDataPlanes planes;
    ClusterAgent agent;
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    static AgentSettings settings() {
        return new AgentSettings(NODE, NODE_IP, AGENT_NAMESPACE, Path.of("/tmp/carp-agent-it"), 9450, Duration.ofSeconds(30));
    }

    @BeforeEach
    void setUp() {
        String[] names = { "node-a", "node-b", "node-c" };
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (client.nodes().withName(name).get() == null) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .withLabels(Map.of("carp-operator.io/vip", name.equals("node-c") ? "no" : "yes")).endMetadata()
                        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("203.0.113." + (1 + i)).endAddress().endStatus()
                        .build()).create();
            }
        }
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("carp-password").withNamespace(NAMESPACE).endMetadata()
                .withData(Map.of("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))))
                .build()).createOr(r -> r.update());
        planes = new FakeDataPlanes(OWN_ADDRESS);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            agent.close();
        }
        for (AutoCloseable closeable : closeAfter) {
            closeable.close();
        }
        client.resources(NodeReport.class).delete();
        for (VirtualIP vip : client.resources(VirtualIP.class).list().getItems()) {
            String name = vip.getMetadata().getName();
            releaseHold(name);
            client.resources(VirtualIP.class).withName(name).delete();
        }
        await().atMost(TIMEOUT).until(() -> client.resources(VirtualIP.class).list().getItems().isEmpty());
    }

    @Test
    void startsTheDataPlaneWithTheResolvedSettingsAndReportsOurEntry() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("web", "198.51.100.10/24"));
        // the operator publishes the agents' configuration before it writes the status: the agent may start first
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null && get("web").getStatus() != null
                && get("web").getStatus().resolved != null);

        VirtualIP resolved = get("web");
        VipSettings settings = planes.latest("web").settings;
        assertThat(settings.address()).isEqualTo("198.51.100.10");
        assertThat(settings.prefixLength()).isEqualTo(24);
        assertThat(settings.vhid()).isEqualTo(resolved.getStatus().resolved.vhid);
        assertThat(settings.password()).isEqualTo("s3cret");
        assertThat(settings.advskew()).isEqualTo(resolved.getStatus().resolved.node(NODE).orElseThrow().advskew);
        assertThat(settings.peers()).isEmpty();

        NodeStatus entry = awaitEntry("web", e -> e != null && e.state == NodeState.BACKUP);
        assertThat(entry.address).isEqualTo(OWN_ADDRESS);
        assertThat(entry.heartbeatAddress).isEqualTo(NODE_IP);
        assertThat(entry.reason).isEqualTo("fake BACKUP");
        assertThat(entry.since).isNotBlank();
        NodeReport report = client.resources(NodeReport.class).withName(NODE).get();
        assertThat(report.getSpec().vips).containsOnlyKeys("web");
        assertThat(report.getSpec().vips.get("web").lastUpdate).as("the refresh time stays in the NodeReport").isNotBlank();

        planes.latest("web").become(NodeState.MASTER);
        awaitEntry("web", e -> e != null && e.state == NodeState.MASTER);
        await().atMost(TIMEOUT).until(() -> NODE.equals(get("web").getStatus().master));
    }

    @Test
    void aConflictTheDataPlaneSeesGoesThroughTheNodeReportIntoTheVirtualIPsConditionsAndLeavesWithIt() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("heard", "198.51.100.11/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("heard") != null);
        awaitEntry("heard", e -> e != null && e.state == NodeState.BACKUP);
        int vhid = planes.latest("heard").settings.vhid();

        Instant now = Instant.now();
        planes.latest("heard").see(new WireConflict(WireConflict.Kind.FOREIGN_ADVERT, vhid, "192.0.2.50", null,
                "adverts for vhid " + vhid + " from 192.0.2.50 fail authentication", now.minusSeconds(3), now, 3));
        await().atMost(TIMEOUT).until(() -> conditionMessage("heard", "VhidConflict").startsWith(NODE + " hears CARP adverts for VHID "
                + vhid + " from 192.0.2.50"));
        var reported = client.resources(NodeReport.class).withName(NODE).get().getSpec().vips.get("heard").conflicts;
        assertThat(reported).singleElement().satisfies(c -> {
            assertThat(c.kind).isEqualTo("FOREIGN_ADVERT");
            assertThat(c.lastSeen).isNotBlank();
            assertThat(c.count).isEqualTo(3L);
        });

        planes.latest("heard").see();
        awaitEntry("heard", e -> e != null && e.conflicts == null);
        await().atMost(TIMEOUT).until(() -> conditionMessage("heard", "VhidConflict").startsWith("no node hears another speaker"));
        assertThat(client.resources(NodeReport.class).withName(NODE).get().getSpec().vips.get("heard").conflicts)
                .as("the merge patch's null removed the list").isNull();
    }

    @Test
    void anEditOfTheResolvedBlockRestartsThatVipOnly() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("web", "198.51.100.20/24"));
        create(vip("db", "198.51.100.21/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null && planes.latest("db") != null);
        awaitEntry("web", e -> e != null);

        editSpec("web", spec -> spec.preempt = true);

        await().atMost(TIMEOUT).until(() -> planes.planes("web").size() == 2);
        assertThat(planes.planes("web").get(0).stoppedWithHandOver).isFalse();
        assertThat(planes.latest("web").settings.preempt()).isTrue();
        assertThat(planes.planes("db")).singleElement().satisfies(db -> assertThat(db.stoppedWithHandOver).isNull());
        assertThat(planes.calls).containsSubsequence("stop web", "start web");
    }

    @Test
    void anotherNodesEntryBecomesAPeerWithoutARestart() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("web", "198.51.100.30/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null);
        awaitEntry("web", e -> e != null);

        // node-b's agent reports its address; the operator passes it on, with node-b's InternalIP as the heartbeat
        NodeReport nodeB = new NodeReport();
        nodeB.getMetadata().setName("node-b");
        NodeStatus b = new NodeStatus(NodeState.BACKUP, java.time.Instant.now().toString());
        b.address = "198.51.100.3";
        nodeB.getSpec().vips.put("web", b);
        client.resources(NodeReport.class).resource(nodeB).create();

        await().atMost(TIMEOUT).until(() -> !planes.latest("web").targetUpdates.isEmpty());
        // heartbeats are every other selected node's InternalIP from the start; the peer arrives with node-b's report
        assertThat(planes.latest("web").settings.heartbeats()).containsExactly("203.0.113.2", "203.0.113.3");
        assertThat(planes.latest("web").targetUpdates).last().isEqualTo(List.of("198.51.100.3", "|", "203.0.113.2", "203.0.113.3"));
        assertThat(planes.planes("web")).hasSize(1);
    }

    @Test
    void deletionStopsTheDataPlaneAndRemovesOurEntrySoTheFinalizerCanFinish() {
        agent = new ClusterAgent(client, settings(), planes).start();
        VirtualIP vip = vip("web", "198.51.100.40/24");
        vip.getMetadata().setFinalizers(new ArrayList<>(List.of(HOLD)));
        create(vip);
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null);
        awaitEntry("web", e -> e != null);

        client.resources(VirtualIP.class).withName("web").delete();

        await().atMost(TIMEOUT).until(() -> planes.latest("web").stoppedWithHandOver != null);
        assertThat(planes.latest("web").stoppedWithHandOver).isFalse();
        // a real API server drops a key merged with null; the mock keeps it as null
        await().atMost(TIMEOUT).until(() -> client.resources(NodeReport.class).withName(NODE).get().getSpec().vips.get("web") == null);
        assertThat(get("web").getMetadata().getDeletionTimestamp()).isNotNull();
        releaseHold("web");
        await().atMost(TIMEOUT).until(() -> get("web") == null);
        assertThat(agent.runningVips()).doesNotContainKey("web");
    }

    @Test
    void aMissingSecretKeepsTheRunningVipAndStartsNothingNew() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("web", "198.51.100.50/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null);

        client.secrets().inNamespace(NAMESPACE).withName("carp-password").delete();
        await().atMost(TIMEOUT).until(() -> client.secrets().inNamespace(NAMESPACE).withName("carp-password").get() == null);
        editSpec("web", spec -> spec.preempt = true);
        create(vip("db", "198.51.100.51/24"));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> planes.calls.equals(List.of("start web")));
        assertThat(agent.runningVips()).containsOnlyKeys("web");
    }

    @Test
    void withTheApiUnreachableForTheReporterReportsNeverBlockAndFailuresAreCounted() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:" + closedPort).withConnectionTimeout(500).withRequestTimeout(500).build()).build();
        closeAfter.add(unreachable);
        NodeStatusReporter reporter = NodeStatusReporter.forCluster(unreachable, settings());
        agent = new ClusterAgent(client, settings(), planes, reporter).start();

        create(vip("web", "198.51.100.60/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null);
        FakeDataPlanes.FakePlane plane = planes.latest("web");

        long begin = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            plane.become(i % 2 == 0 ? NodeState.MASTER : NodeState.BACKUP);
        }
        Duration spent = Duration.ofNanos(System.nanoTime() - begin);
        assertThat(spent).as("1000 reports with the API unreachable").isLessThan(Duration.ofMillis(500));
        await().atMost(TIMEOUT).until(() -> agent.statusWriteFailures() >= 2);
        assertThat(get("web").getStatus().nodes).doesNotContainKey(NODE);
    }

    @Test
    void anUnreadableVirtualIPNeitherBlindsTheAgentNorStopsWhatRuns() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("web", "198.51.100.70/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null);

        // past the schema: a spec from a newer version; and web's configuration as a newer operator would write it
        unvalidated().genericKubernetesResources(VirtualIPReconcilerIT.VIRTUAL_IPS).resource(client.getKubernetesSerialization()
                .unmarshal(VirtualIPReconcilerIT.FROM_THE_FUTURE, GenericKubernetesResource.class)).create();
        // (retried: the operator may be updating the same ConfigMap, e.g. with web's address just reported)
        await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            var config = client.configMaps().inNamespace(AGENT_NAMESPACE).withName("web").get();
            String newer = config.getData().get(io.carpoperator.api.AgentConfig.DATA_KEY)
                    .replace("\"holdLimit\":2", "\"holdLimit\":\"two\"").replace("\"ICMP\"", "\"TCP\"");
            config.setData(Map.of(io.carpoperator.api.AgentConfig.DATA_KEY, newer));
            client.resource(config).update();
            return true;
        });
        create(vip("db", "198.51.100.71/24"));

        await().atMost(TIMEOUT).until(() -> planes.latest("db") != null);
        assertThat(planes.planes("web")).as("web keeps running its last good configuration").singleElement()
                .satisfies(web -> assertThat(web.stoppedWithHandOver).isNull());
        assertThat(agent.runningVips()).containsOnlyKeys("web", "db");
    }

    @Test
    void anEditInTheShapeOfANewerVersionLeavesTheRunningVipAlone() {
        agent = new ClusterAgent(client, settings(), planes).start();
        create(vip("web", "198.51.100.72/24"));
        await().atMost(TIMEOUT).until(() -> planes.latest("web") != null);

        unvalidated().resources(VirtualIP.class).withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"preempt\": true, \"isolation\": {\"newKnob\": 5, \"probes\": [\"ICMP\", \"TCP\"]}}}");
        await().atMost(TIMEOUT).until(() -> get("web").getStatus().phase == io.carpoperator.api.Phase.Invalid);
        create(vip("db", "198.51.100.73/24"));

        await().atMost(TIMEOUT).until(() -> planes.latest("db") != null);
        assertThat(planes.planes("web")).as("the invalid edit restarts nothing").singleElement()
                .satisfies(web -> assertThat(web.settings.preempt()).isFalse());
    }

    private static VirtualIP vip(String name, String address) {
        VirtualIP vip = new VirtualIP();
        vip.setMetadata(new ObjectMetaBuilder().withName(name).build());
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = address;
        spec.passwordSecretRef = new SecretKeyRef("carp-password", "password");
        vip.setSpec(spec);
        return vip;
    }

    private void create(VirtualIP vip) {
        client.resources(VirtualIP.class).resource(vip).create();
    }

    private VirtualIP get(String name) {
        return client.resources(VirtualIP.class).withName(name).get();
    }

    private String conditionMessage(String vip, String type) {
        VirtualIP now = get(vip);
        return now == null || now.getStatus() == null ? "" : now.getStatus().conditions.stream().filter(c -> type.equals(c.getType()))
                .map(c -> c.getMessage()).findFirst().orElse("");
    }

    private NodeStatus awaitEntry(String vip, Predicate<NodeStatus> condition) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            VirtualIP now = get(vip);
            return now != null && now.getStatus() != null && condition.test(now.getStatus().nodes.get(NODE));
        });
        return get(vip).getStatus().nodes.get(NODE);
    }

    private void editSpec(String name, java.util.function.Consumer<VirtualIPSpec> edit) {
        await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            VirtualIP vip = get(name);
            edit.accept(vip.getSpec());
            client.resources(VirtualIP.class).resource(vip).update();
            return true;
        });
    }

    /** Writes past the in-process API server's validation, as an older or newer CRD would have let them in. */
    private KubernetesClient unvalidated() {
        KubernetesClient unvalidated = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withCustomHeaders(Map.of(io.carpoperator.apiserver.StrictCrudDispatcher.UNVALIDATED_HEADER, "true")).build()).build();
        closeAfter.add(unvalidated);
        return unvalidated;
    }

    private void releaseHold(String name) {
        await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            VirtualIP vip = get(name);
            if (vip == null || !vip.getMetadata().getFinalizers().contains(HOLD)) {
                return true;
            }
            vip.getMetadata().getFinalizers().remove(HOLD);
            client.resources(VirtualIP.class).resource(vip).update();
            return true;
        });
    }
}
