package io.carpoperator.operator;

import static io.carpoperator.operator.OperatorTestSupport.condition;
import static io.carpoperator.operator.OperatorTestSupport.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.carpoperator.api.AgentConfig;
import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.IsolationSpec;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.Phase;
import io.carpoperator.api.ProbeType;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.WireConflictReport;
import io.carpoperator.testing.WithStrictKubernetesTestServer;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithStrictKubernetesTestServer
public class VirtualIPReconcilerIT {

    @Inject
    KubernetesClient client;

    OperatorTestSupport cluster;

    @BeforeEach
    void setUp() {
        cluster = new OperatorTestSupport(client);
        cluster.createNodesAndSecret();
    }

    @AfterEach
    void tearDown() {
        cluster.deleteAllAndWait();
    }

    @Test
    void allocatesAVhidAndPublishesTheAgentsConfigurationAndPasswordCopyInTheAgentsNamespace() {
        cluster.create(vip("web", "198.51.100.10/24"));
        VirtualIP vip = cluster.awaitStatus("web", v -> v.getStatus().phase == Phase.Pending);
        assertThat(vip.getStatus().vhid).isEqualTo(1);
        assertThat(vip.getStatus().observedGeneration).isEqualTo(vip.getMetadata().getGeneration());
        assertThat(condition(vip, ConditionTypes.VALID).getStatus()).isEqualTo("True");
        assertThat(vip.getStatus().resolved.vhid).isEqualTo(1);
        assertThat(vip.getStatus().resolved.nodes).extracting(n -> n.name).containsExactly("node-a", "node-b", "node-c");
        assertThat(vip.getMetadata().getFinalizers()).isNotEmpty();

        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.agentConfig("web") != null);
        AgentConfig config = cluster.agentConfig("web");
        assertThat(config.resolved.address).isEqualTo("198.51.100.10/24");
        assertThat(config.resolved.vhid).isEqualTo(1);
        assertThat(config.resolved.passwordSecretRef.name).as("the copy in the agents' namespace, not the user's Secret").isEqualTo("web");
        assertThat(config.nodes).containsOnlyKeys("node-a", "node-b", "node-c");
        Secret copy = client.secrets().inNamespace(OperatorTestSupport.AGENT_NAMESPACE).withName("web").get();
        assertThat(copy.getData()).containsOnlyKeys("password");
        assertThat(new String(java.util.Base64.getDecoder().decode(copy.getData().get("password")))).isEqualTo("s3cret");
        assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).as("the DaemonSet ships in deploy/").isEmpty();
    }

    @Test
    void peersComeFromTheNodesReportsWhenInsideTheVipSubnetAndHeartbeatsFromTheNodeObjects() {
        cluster.create(vip("peers", "198.51.100.15/24"));
        cluster.awaitStatus("peers", v -> v.getStatus().resolved != null);
        NodeStatus a = new NodeStatus(NodeState.MASTER, null);
        a.address = "198.51.100.2";
        NodeStatus b = new NodeStatus(NodeState.BACKUP, null);
        b.address = "192.0.2.66"; // a node's claim outside the VIP's subnet is not passed on to the others
        cluster.report("peers", "node-a", a);
        cluster.report("peers", "node-b", b);
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> {
            AgentConfig config = cluster.agentConfig("peers");
            return config != null && config.nodes.get("node-a") != null && "198.51.100.2".equals(config.nodes.get("node-a").address);
        });
        AgentConfig config = cluster.agentConfig("peers");
        assertThat(config.nodes.get("node-b").address).isNull();
        assertThat(config.nodes.get("node-a").heartbeatAddress).as("the Node object's InternalIP").isEqualTo("203.0.113.11");
    }

    @Test
    void aRefreshThatChangesNothingWritesNothing() throws Exception {
        cluster.create(vip("quiet", "198.51.100.16/24"));
        cluster.awaitStatus("quiet", v -> v.getStatus().resolved != null);
        cluster.report("quiet", "node-a", NodeState.MASTER);
        cluster.report("quiet", "node-b", NodeState.BACKUP);
        cluster.report("quiet", "node-c", NodeState.BACKUP);
        VirtualIP ready = cluster.awaitStatus("quiet", v -> v.getStatus().phase == Phase.Ready);
        String version = ready.getMetadata().getResourceVersion();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(300);
            cluster.refreshAll();
        }
        Thread.sleep(500);
        assertThat(cluster.get("quiet").getMetadata().getResourceVersion()).as("five refreshes of three nodes, no VirtualIP write")
                .isEqualTo(version);
    }

    @Test
    void allocatesTheLowestVhidFreeOnTheSharedNodesWhateverTheSubnetAndKeepsExplicitOnes() {
        VirtualIP explicit = vip("explicit", "198.51.100.20/24");
        explicit.getSpec().vhid = 1;
        cluster.create(explicit);
        cluster.awaitStatus("explicit", v -> Integer.valueOf(1).equals(v.getStatus().vhid));
        cluster.create(vip("second", "198.51.100.21/32"));
        assertThat(cluster.awaitStatus("second", v -> v.getStatus().vhid != null).getStatus().vhid).isEqualTo(2);
        cluster.create(vip("other-subnet", "203.0.113.21/24"));
        assertThat(cluster.awaitStatus("other-subnet", v -> v.getStatus().vhid != null).getStatus().vhid)
                .as("another subnet on the same nodes' links").isEqualTo(3);
    }

    @Test
    void disjointNodesReuseAVhidAndNodesThatComeToOverlapKeepItButTheYoungerIsWarned() {
        VirtualIP olderOnAB = vip("disjoint-a", "198.51.100.22/24");
        olderOnAB.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("carp-operator.io/vip", "yes")).build();
        cluster.create(olderOnAB);
        cluster.awaitStatus("disjoint-a", v -> Integer.valueOf(1).equals(v.getStatus().vhid));
        VirtualIP youngerOnC = vip("disjoint-b", "198.51.100.23/24");
        youngerOnC.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("carp-operator.io/vip", "no")).build();
        cluster.create(youngerOnC);
        assertThat(cluster.awaitStatus("disjoint-b", v -> v.getStatus().vhid != null).getStatus().vhid).as("node-c shares no node").isEqualTo(1);

        cluster.editSpec("disjoint-b", spec -> spec.nodeSelector = null); // now on node-a and node-b too; the names order equal creation seconds
        VirtualIP contested = cluster.awaitStatus("disjoint-b", v -> "VhidConflict".equals(condition(v, ConditionTypes.DEGRADED).getReason()));
        assertThat(contested.getStatus().vhid).as("never renumbered while it runs").isEqualTo(1);
        assertThat(condition(contested, ConditionTypes.DEGRADED).getMessage())
                .contains("VHID 1 is also used by VirtualIP 'disjoint-a', which may share a link with 'disjoint-b' (nodes node-a, node-b;");
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.hasEvent("disjoint-b", "Warning", "VhidConflict"));
        assertThat(cluster.get("disjoint-a").getStatus().vhid).isEqualTo(1);
        assertThat(condition(cluster.get("disjoint-a"), ConditionTypes.DEGRADED).getReason()).isNotEqualTo("VhidConflict");
    }

    /**
     * Inputs the operator must mark Invalid. Where the CRD forbids one too ({@code refusedField} not null), the API
     * server refuses it naming that field, and the operator meets it as an object stored before a stricter CRD.
     */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("address without prefix", v -> v.getSpec().address = "198.51.100.30", "spec.address",
                        "spec.address: '198.51.100.30' has no prefix length"),
                bad("IPv6 address", v -> v.getSpec().address = "2001:db8::1/64", "spec.address", "IPv6 is not supported yet"),
                bad("prefix outside 8-32", v -> v.getSpec().address = "198.51.100.30/7", "spec.address", "prefix length 7, outside 8-32"),
                bad("network address", v -> v.getSpec().address = "198.51.100.0/24", null, "is the network address of 198.51.100.0/24"),
                bad("broadcast address", v -> v.getSpec().address = "198.51.100.255/24", null, "is the broadcast address of 198.51.100.0/24"),
                bad("vhid outside 1-255", v -> v.getSpec().vhid = 300, "spec.vhid", "spec.vhid: 300 is outside 1-255"),
                bad("missing Secret", v -> v.getSpec().passwordSecretRef = new SecretKeyRef("nope", "password"), null,
                        "spec.passwordSecretRef.name: Secret 'nope' not found in namespace carp-system"),
                bad("missing key", v -> v.getSpec().passwordSecretRef = new SecretKeyRef(OperatorTestSupport.SECRET, "nokey"), null,
                        "spec.passwordSecretRef.key: Secret 'carp-password' has no key 'nokey'"),
                bad("empty password", v -> v.getSpec().passwordSecretRef = new SecretKeyRef("empty-password", "password"), null,
                        "Secret 'empty-password' key 'password': the password is empty"),
                bad("password over 19 bytes", v -> v.getSpec().passwordSecretRef = new SecretKeyRef("long-password", "password"), null,
                        "the password is 20 bytes; CARP allows at most 19"),
                bad("interface name over 15 bytes", v -> v.getSpec().interfaceName = "enp0s31f6-bond-12", "spec.interface",
                        "spec.interface: 'enp0s31f6-bond-12' is 17 bytes; Linux allows at most 15"),
                bad("interface name with a slash", v -> v.getSpec().interfaceName = "eth0/1", "spec.interface",
                        "spec.interface: 'eth0/1' contains '/' or whitespace"),
                bad("isolation host not an IP", v -> isolation(v).hosts = List.of("gw.example"), "spec.isolation.hosts",
                        "spec.isolation.hosts: 'gw.example' is not an IPv4 address"),
                bad("holdLimit below 1", v -> isolation(v).holdLimit = 0, "spec.isolation.holdLimit",
                        "spec.isolation.holdLimit: 0 is outside 1-100"),
                bad("probe interval below 100", v -> isolation(v).probeIntervalMillis = 99, "spec.isolation.probeIntervalMillis",
                        "spec.isolation.probeIntervalMillis: 99 is outside 100-600000"),
                bad("duplicate preferredNodes", v -> v.getSpec().preferredNodes = List.of("node-a", "node-a"), "spec.preferredNodes",
                        "spec.preferredNodes: lists 'node-a' more than once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsInvalidWithAConditionNamingFieldAndValueAndAWarningEvent(String name, Consumer<VirtualIP> edit, String refusedField,
            String message) {
        cluster.putSecret("empty-password", "password", "");
        cluster.putSecret("long-password", "password", "12345678901234567890");
        VirtualIP vip = vip("bad", "198.51.100.30/24");
        edit.accept(vip);
        if (refusedField == null) {
            cluster.create(vip);
        } else {
            KubernetesClientException refused = cluster.refusedCreate(vip);
            assertThat(refused.getCode()).isEqualTo(422);
            assertThat(refused.getStatus().getDetails().getCauses()).extracting(c -> c.getField())
                    .anySatisfy(field -> assertThat(field).startsWith(refusedField));
            cluster.createUnvalidated(vip);
        }
        VirtualIP result = cluster.awaitStatus("bad", v -> v.getStatus().phase == Phase.Invalid);
        var valid = condition(result, ConditionTypes.VALID);
        assertThat(valid.getStatus()).isEqualTo("False");
        assertThat(valid.getReason()).isEqualTo("InvalidSpec");
        assertThat(valid.getMessage()).contains(message);
        assertThat(result.getStatus().resolved).as("nothing is resolved for agents from an invalid spec").isNull();
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.hasEvent("bad", "Warning", "InvalidSpec"));
    }

    @Test
    void theSameAddressTwiceMakesTheNewerInvalid() {
        cluster.create(vip("first", "198.51.100.40/24"));
        cluster.awaitStatus("first", v -> v.getStatus().vhid != null);
        cluster.create(vip("copy", "198.51.100.40/24"));
        VirtualIP copy = cluster.awaitStatus("copy", v -> v.getStatus().phase == Phase.Invalid);
        assertThat(condition(copy, ConditionTypes.VALID).getMessage()).contains("spec.address: '198.51.100.40' is already used by VirtualIP 'first'");
        assertThat(cluster.get("first").getStatus().phase).isNotEqualTo(Phase.Invalid);
    }

    @Test
    void anExplicitVhidUsedOnASharedLinkMakesTheNewerInvalidNamingBothAndTheOlderKeepsWorking() {
        VirtualIP older = vip("older", "198.51.100.50/24");
        older.getSpec().vhid = 99;
        cluster.create(older);
        cluster.awaitStatus("older", v -> Integer.valueOf(99).equals(v.getStatus().vhid));
        VirtualIP newer = vip("newer", "203.0.113.51/24");
        newer.getSpec().vhid = 99;
        cluster.create(newer);
        VirtualIP result = cluster.awaitStatus("newer", v -> v.getStatus().phase == Phase.Invalid);
        assertThat(condition(result, ConditionTypes.VALID).getMessage())
                .contains("spec.vhid: 99 is already used by VirtualIP 'older', which may share a link with 'newer'"
                        + " (nodes node-a, node-b, node-c; interfaces auto-detected)");
        assertThat(cluster.get("older").getStatus().phase).isEqualTo(Phase.Pending);
    }

    @Test
    void anInvalidEditKeepsTheLastValidConfigurationForTheAgents() {
        cluster.create(vip("edited", "198.51.100.60/24"));
        VirtualIP before = cluster.awaitStatus("edited", v -> v.getStatus().resolved != null);
        cluster.report("edited", "node-a", NodeState.MASTER);
        cluster.awaitStatus("edited", v -> "node-a".equals(v.getStatus().master));

        VirtualIP prefixless = cluster.get("edited");
        prefixless.getSpec().address = "198.51.100.60";
        assertThat(catchThrowableOfType(KubernetesClientException.class, () -> client.resources(VirtualIP.class).resource(prefixless).update())
                .getCode()).as("the CRD refuses an address without prefix").isEqualTo(422);
        cluster.editSpec("edited", spec -> spec.address = "198.51.100.0/24"); // the CRD allows it; the operator does not
        VirtualIP after = cluster.awaitStatus("edited", v -> v.getStatus().phase == Phase.Invalid);
        assertThat(after.getStatus().resolved.address).isEqualTo("198.51.100.60/24");
        assertThat(after.getStatus().resolved.generation).isEqualTo(before.getStatus().resolved.generation);
        assertThat(after.getStatus().master).isEqualTo("node-a");
        assertThat(after.getStatus().vhid).isEqualTo(before.getStatus().vhid);
        assertThat(condition(after, ConditionTypes.VALID).getMessage()).contains("agents keep running the last valid configuration");
        assertThat(cluster.agentConfig("edited").resolved.address).as("agents keep their input").isEqualTo("198.51.100.60/24");
    }

    @Test
    void agentReportsAggregateIntoReadySplitBrainDegradedAndIsolated() {
        VirtualIP vip = vip("agg", "198.51.100.70/24");
        vip.getSpec().nodeSelector = new LabelSelectorBuilder().addToMatchLabels("carp-operator.io/vip", "yes").build();
        cluster.create(vip);
        VirtualIP pending = cluster.awaitStatus("agg", v -> v.getStatus().phase == Phase.Pending);
        assertThat(pending.getStatus().resolved.nodes).extracting(n -> n.name).containsExactly("node-a", "node-b");

        Instant aMasterSince = Instant.now();
        cluster.report("agg", "node-a", NodeState.MASTER, aMasterSince, aMasterSince);
        cluster.report("agg", "node-b", NodeState.BACKUP);
        VirtualIP ready = cluster.awaitStatus("agg", v -> v.getStatus().phase == Phase.Ready);
        assertThat(ready.getStatus().master).isEqualTo("node-a");
        assertThat(ready.getStatus().conditions).as(ready.getStatus().conditions.toString()).hasSize(6);
        assertThat(condition(ready, ConditionTypes.READY).getStatus()).isEqualTo("True");
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.hasEvent("agg", "Normal", "MasterChanged"));

        cluster.report("agg", "node-b", NodeState.MASTER);
        cluster.report("agg", "node-a", NodeState.MASTER, aMasterSince, Instant.now().plusMillis(5)); // a's refresh: still MASTER
        VirtualIP split = cluster.awaitStatus("agg", v -> v.getStatus().phase == Phase.SplitBrain);
        assertThat(condition(split, ConditionTypes.SPLIT_BRAIN).getMessage()).contains("node-a, node-b");
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.hasEvent("agg", "Warning", "MultipleMasters"));

        cluster.report("agg", "node-a", NodeState.ISOLATED);
        VirtualIP isolated = cluster.awaitStatus("agg", v -> "node-b".equals(v.getStatus().master)
                && "True".equals(condition(v, ConditionTypes.ISOLATED).getStatus()));
        assertThat(isolated.getStatus().phase).isEqualTo(Phase.Degraded);
        assertThat(condition(isolated, ConditionTypes.ISOLATED).getMessage()).startsWith("node-a is isolated");
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.hasEvent("agg", "Warning", "NodesIsolated"));

        // node-a falls silent (its last report even claims a far future): stale by the operator's receive time
        cluster.report("agg", "node-a", NodeState.BACKUP, Instant.now().plusSeconds(3600));
        VirtualIP degraded = cluster.awaitStatus("agg", v -> {
            cluster.report("agg", "node-b", NodeState.MASTER, Instant.now().minusSeconds(1), Instant.now()); // node-b keeps refreshing
            return v.getStatus().phase == Phase.Degraded && "StaleNodes".equals(condition(v, ConditionTypes.DEGRADED).getReason());
        });
        assertThat(condition(degraded, ConditionTypes.DEGRADED).getMessage()).contains("node-a").doesNotContain("node-b");
    }

    @Test
    void conflictsTheNodesSeeOnTheWireRaiseVhidConflictAndSplitBrainWithWarningsAndClearWhenTheyStop() throws Exception {
        cluster.create(vip("wire", "198.51.100.75/24"));
        int vhid = cluster.awaitStatus("wire", v -> v.getStatus().resolved != null).getStatus().vhid;
        Instant aMasterSince = Instant.now();
        cluster.report("wire", "node-a", NodeState.MASTER, aMasterSince, aMasterSince);
        cluster.report("wire", "node-b", NodeState.BACKUP);
        cluster.report("wire", "node-c", NodeState.BACKUP);
        cluster.awaitStatus("wire", v -> v.getStatus().phase == Phase.Ready);
        try (AutoCloseable agents = cluster.keepRefreshing(Duration.ofSeconds(1))) {
            // node-b hears a router pair's adverts for our VHID, and backs off
            Instant heardAt = Instant.now();
            cluster.report("wire", "node-b", withConflict(NodeState.FAILED, heardAt, heardAt, foreignAdvert(vhid, heardAt)));
            VirtualIP heard = cluster.awaitStatus("wire", v -> "True".equals(condition(v, ConditionTypes.VHID_CONFLICT).getStatus()));
            var conflict = condition(heard, ConditionTypes.VHID_CONFLICT);
            assertThat(conflict.getReason()).isEqualTo("ForeignAdvertisements");
            assertThat(conflict.getMessage()).startsWith("node-b hears CARP adverts for VHID " + vhid + " from 192.0.2.50 that do not"
                    + " authenticate");
            assertThat(heard.getStatus().phase).isEqualTo(Phase.Degraded);
            assertThat(condition(heard, ConditionTypes.DEGRADED).getReason()).isEqualTo("VhidConflict");
            assertThat(heard.getStatus().nodes.get("node-b").conflicts).singleElement().satisfies(c -> {
                assertThat(c.sender).isEqualTo("192.0.2.50");
                assertThat(c.lastSeen).as("stays in the NodeReport").isNull();
            });
            await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.eventMessages("wire", "Warning", "VhidConflict").stream()
                    .anyMatch(m -> m.contains("node-b") && m.contains("192.0.2.50")));

            // the adverts stop: node-b's report still lists the conflict, last seen over a minute before it was written
            Instant later = Instant.now();
            cluster.report("wire", "node-b", withConflict(NodeState.BACKUP, later, later, foreignAdvert(vhid, later.minusSeconds(61))));
            VirtualIP quiet = cluster.awaitStatus("wire", v -> v.getStatus().phase == Phase.Ready);
            assertThat(condition(quiet, ConditionTypes.VHID_CONFLICT).getReason()).isEqualTo("NoConflict");
            assertThat(quiet.getStatus().nodes.get("node-b").conflicts).isNull();

            // node-a, the master, sees another MAC answer ARP for the address
            Instant seen = Instant.now();
            cluster.report("wire", "node-a", withConflict(NodeState.MASTER, aMasterSince, seen, otherOwner(vhid, seen)));
            VirtualIP split = cluster.awaitStatus("wire", v -> v.getStatus().phase == Phase.SplitBrain);
            var splitBrain = condition(split, ConditionTypes.SPLIT_BRAIN);
            assertThat(splitBrain.getReason()).isEqualTo("DuplicateAddressOwner");
            assertThat(splitBrain.getMessage()).isEqualTo("node-a holds 198.51.100.75/24 but 02:00:00:00:00:99 also answers ARP for it");
            assertThat(split.getStatus().master).isEqualTo("node-a");
            await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.eventMessages("wire", "Warning", "DuplicateAddressOwner")
                    .contains(splitBrain.getMessage()));

            // the other owner is gone: the agent drops the conflict from its report
            cluster.report("wire", "node-a", NodeState.MASTER, aMasterSince, Instant.now());
            VirtualIP healed = cluster.awaitStatus("wire", v -> v.getStatus().phase == Phase.Ready);
            assertThat(condition(healed, ConditionTypes.SPLIT_BRAIN).getReason()).isEqualTo("SingleMaster");
            assertThat(condition(healed, ConditionTypes.READY).getReason()).isEqualTo("MasterElected");
        }
    }

    private static NodeStatus withConflict(NodeState state, Instant since, Instant at, WireConflictReport conflict) {
        NodeStatus entry = new NodeStatus(state, Timestamps.formatMillis(at));
        entry.since = Timestamps.formatMillis(since);
        entry.reason = "test says " + state;
        entry.conflicts = List.of(conflict);
        return entry;
    }

    private static WireConflictReport foreignAdvert(int vhid, Instant lastSeen) {
        WireConflictReport conflict = new WireConflictReport();
        conflict.kind = WireConflictReport.FOREIGN_ADVERT;
        conflict.vhid = vhid;
        conflict.sender = "192.0.2.50";
        conflict.message = "adverts for vhid " + vhid + " from 192.0.2.50 fail authentication";
        conflict.firstSeen = Timestamps.formatMillis(lastSeen.minusSeconds(5));
        conflict.lastSeen = Timestamps.formatMillis(lastSeen);
        conflict.count = 5L;
        return conflict;
    }

    private static WireConflictReport otherOwner(int vhid, Instant lastSeen) {
        WireConflictReport conflict = new WireConflictReport();
        conflict.kind = WireConflictReport.DUPLICATE_OWNER;
        conflict.vhid = vhid;
        conflict.senderMac = "02:00:00:00:00:99";
        conflict.message = "02:00:00:00:00:99 also answers ARP for 198.51.100.75";
        conflict.firstSeen = Timestamps.formatMillis(lastSeen);
        conflict.lastSeen = Timestamps.formatMillis(lastSeen);
        conflict.count = 1L;
        return conflict;
    }

    /** VirtualIPs as raw objects, for writing what the typed client could not express. */
    public static final ResourceDefinitionContext VIRTUAL_IPS = new ResourceDefinitionContext.Builder().withGroup(VirtualIP.GROUP)
            .withVersion(VirtualIP.VERSION).withKind("VirtualIP").withPlural("virtualips").withNamespaced(false).build();

    /** A VirtualIP past the schema: an enum value and a field from a newer version, a string where a number belongs. */
    public static final String FROM_THE_FUTURE = """
            {"apiVersion": "carp-operator.io/v1alpha1", "kind": "VirtualIP", "metadata": {"name": "from-the-future"},
             "spec": {"address": "198.51.100.130/24", "vhid": "five",
                      "passwordSecretRef": {"name": "carp-password", "key": "password"},
                      "isolation": {"probes": ["ICMP", "TCP"], "newKnob": 5}}}""";

    @Test
    void anUnreadableVirtualIPIsInvalidNamingTheFieldsWhileTheOthersAreStillReconciled() {
        cluster.createRaw(FROM_THE_FUTURE);
        cluster.create(vip("neighbour", "198.51.100.131/24"));
        VirtualIP neighbour = cluster.awaitStatus("neighbour", v -> v.getStatus().phase == Phase.Pending);
        assertThat(condition(neighbour, ConditionTypes.VALID).getStatus()).isEqualTo("True");

        VirtualIP bad = cluster.awaitStatus("from-the-future", v -> v.getStatus().phase == Phase.Invalid);
        String message = condition(bad, ConditionTypes.VALID).getMessage();
        assertThat(message).contains("spec.vhid: \"five\" is not an integer")
                .contains("spec.isolation.probes[1]: unsupported value \"TCP\": supported values: \"ICMP\", \"ARP\"")
                .doesNotContain("newKnob");
        assertThat(bad.getStatus().resolved).as("nothing is resolved from an unreadable spec").isNull();
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.hasEvent("from-the-future", "Warning", "InvalidSpec"));

        cluster.editSpec("neighbour", spec -> spec.preempt = true);
        cluster.awaitStatus("neighbour", v -> Boolean.TRUE.equals(v.getStatus().resolved.preempt));
    }

    @Test
    void anEditInTheShapeOfANewerVersionIsInvalidAndTheAgentsKeepTheLastValidConfiguration() {
        cluster.create(vip("upgraded", "198.51.100.133/24"));
        VirtualIP before = cluster.awaitStatus("upgraded", v -> v.getStatus().resolved != null);
        cluster.report("upgraded", "node-a", NodeState.MASTER);
        cluster.awaitStatus("upgraded", v -> "node-a".equals(v.getStatus().master));

        cluster.patchRaw("upgraded", "{\"spec\": {\"isolation\": {\"newKnob\": 5, \"probes\": [\"ICMP\", \"TCP\"]}}}");
        VirtualIP after = cluster.awaitStatus("upgraded", v -> v.getStatus().phase == Phase.Invalid);
        assertThat(condition(after, ConditionTypes.VALID).getMessage())
                .isEqualTo("spec.isolation.probes[1]: unsupported value \"TCP\": supported values: \"ICMP\", \"ARP\"; agents keep"
                        + " running the last valid configuration (generation " + before.getStatus().resolved.generation + ")");
        assertThat(after.getStatus().resolved.generation).isEqualTo(before.getStatus().resolved.generation);
        assertThat(after.getStatus().resolved.probes).isEqualTo(before.getStatus().resolved.probes);
        assertThat(after.getStatus().master).isEqualTo("node-a");

        // a JSON Patch: the mock API server merges lists in a merge patch instead of replacing them
        cluster.jsonPatch("upgraded", "[{\"op\": \"replace\", \"path\": \"/spec/isolation/probes\", \"value\": [\"ICMP\"]}]");
        VirtualIP fixed = cluster.awaitStatus("upgraded", v -> v.getStatus().phase != Phase.Invalid);
        assertThat(fixed.getStatus().resolved.probes).containsExactly(ProbeType.ICMP);
    }

    @Test
    void anUnknownFieldFromANewerVersionIsIgnored() {
        cluster.createRaw("""
                {"apiVersion": "carp-operator.io/v1alpha1", "kind": "VirtualIP", "metadata": {"name": "newer"},
                 "spec": {"address": "198.51.100.132/24", "passwordSecretRef": {"name": "carp-password", "key": "password"},
                          "isolation": {"holdLimit": 3, "newKnob": 5}, "newBlock": {"x": [1]}}}""");
        VirtualIP newer = cluster.awaitStatus("newer", v -> v.getStatus().phase == Phase.Pending);
        assertThat(newer.getStatus().resolved.holdLimit).isEqualTo(3);
    }

    @Test
    void aSelectorMatchingNoNodeIsDegradedNotInvalid() {
        VirtualIP vip = vip("nowhere", "198.51.100.80/24");
        vip.getSpec().nodeSelector = new LabelSelectorBuilder().addToMatchLabels("rack", "none").build();
        cluster.create(vip);
        VirtualIP result = cluster.awaitStatus("nowhere", v -> v.getStatus().phase == Phase.Degraded);
        assertThat(condition(result, ConditionTypes.DEGRADED).getReason()).isEqualTo("NoEligibleNodes");
        assertThat(condition(result, ConditionTypes.VALID).getStatus()).isEqualTo("True");
    }

    @Test
    void aSecretCreatedLaterMakesTheVirtualIPValid() {
        VirtualIP vip = vip("late-secret", "198.51.100.90/24");
        vip.getSpec().passwordSecretRef = new SecretKeyRef("late", "password");
        cluster.create(vip);
        cluster.awaitStatus("late-secret", v -> v.getStatus().phase == Phase.Invalid);
        cluster.putSecret("late", "password", "later");
        cluster.awaitStatus("late-secret", v -> v.getStatus().phase == Phase.Pending);
    }

    @Test
    void deletionWaitsUntilTheMasterReleasedTheAddress() throws Exception {
        cluster.create(vip("leaving", "198.51.100.100/24"));
        cluster.awaitStatus("leaving", v -> v.getStatus().resolved != null);
        cluster.report("leaving", "node-a", NodeState.MASTER);
        cluster.awaitStatus("leaving", v -> "node-a".equals(v.getStatus().master));
        client.resources(VirtualIP.class).withName("leaving").delete();
        Thread.sleep(1500);
        assertThat(cluster.get("leaving")).as("held by the finalizer while node-a holds the address").isNotNull();
        cluster.release("leaving", "node-a");
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.get("leaving") == null);
        assertThat(cluster.hasEvent("leaving", "Normal", "AddressReleased")).isTrue();
    }

    @Test
    void deletionGivesUpAfterTheReleaseTimeoutWithAWarning() {
        cluster.create(vip("stuck", "198.51.100.110/24"));
        cluster.awaitStatus("stuck", v -> v.getStatus().resolved != null);
        cluster.report("stuck", "node-b", NodeState.MASTER);
        cluster.awaitStatus("stuck", v -> "node-b".equals(v.getStatus().master));
        client.resources(VirtualIP.class).withName("stuck").delete();
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.get("stuck") == null);
        assertThat(cluster.hasEvent("stuck", "Warning", "ReleaseTimedOut")).isTrue();
    }

    @Test
    void theAgentsConfigurationGoesWithItsVirtualIP() {
        cluster.create(vip("only", "198.51.100.120/24"));
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.agentConfig("only") != null);
        client.resources(VirtualIP.class).withName("only").delete();
        await().atMost(OperatorTestSupport.TIMEOUT).until(() -> cluster.agentConfig("only") == null
                && client.secrets().inNamespace(OperatorTestSupport.AGENT_NAMESPACE).withName("only").get() == null);
    }

    private static IsolationSpec isolation(VirtualIP vip) {
        if (vip.getSpec().isolation == null) {
            vip.getSpec().isolation = new IsolationSpec();
        }
        return vip.getSpec().isolation;
    }

    private static Arguments bad(String name, Consumer<VirtualIP> edit, String refusedField, String message) {
        return Arguments.of(name, edit, refusedField, message);
    }
}
