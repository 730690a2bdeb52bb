package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.Phase;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.VirtualIPStatus;
import io.carpoperator.api.WireConflictReport;
import io.carpoperator.operator.NodeReportLedger.Received;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final StatusAggregator aggregator = new StatusAggregator(Duration.ofSeconds(30));

    private static ResolvedConfig resolved(String... nodes) {
        ResolvedConfig config = new ResolvedConfig();
        config.address = "198.51.100.10/24";
        config.generation = 1L;
        for (String node : nodes) {
            config.nodes.add(new ResolvedConfig.ResolvedNode(node, 0));
        }
        return config;
    }

    /** Entries received {@code age} seconds ago, in that state since then: name, state, age, name, state, age ... */
    private static Map<String, Received> received(Object... nameStateAge) {
        Map<String, Received> entries = new TreeMap<>();
        for (int i = 0; i < nameStateAge.length; i += 3) {
            Instant at = NOW.minusSeconds((Integer) nameStateAge[i + 2]);
            entries.put((String) nameStateAge[i], entry((NodeState) nameStateAge[i + 1], at, at));
        }
        return entries;
    }

    private static Received entry(NodeState state, Instant stateSince, Instant lastReceived) {
        NodeStatus status = new NodeStatus(state, null);
        status.reason = "because";
        return new Received(status, stateSince, lastReceived, false, null);
    }

    private StatusAggregate aggregate(Map<String, Received> received, ResolvedConfig resolved) {
        return aggregator.aggregate(new VirtualIPStatus(), 3L, List.of(), resolved, 1, null, received, NOW);
    }

    private static Condition condition(StatusAggregate aggregate, String type) {
        return aggregate.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void oneFreshMasterAndFreshBackupsIsReady() {
        var result = aggregate(received("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 2), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Ready);
        assertThat(result.master()).isEqualTo("a");
        assertThat(condition(result, ConditionTypes.READY).getStatus()).isEqualTo("True");
        assertThat(condition(result, ConditionTypes.DEGRADED).getStatus()).isEqualTo("False");
        assertThat(result.conditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
        });
    }

    @Test
    void twoFreshMastersIsSplitBrainWithoutAMaster() {
        var result = aggregate(received("a", NodeState.MASTER, 1, "b", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.SplitBrain);
        assertThat(result.master()).isEmpty();
        assertThat(condition(result, ConditionTypes.SPLIT_BRAIN).getMessage()).isEqualTo("a, b all claim MASTER for 198.51.100.10/24");
        assertCondition(result, ConditionTypes.READY, "False", "MultipleMasters");
        assertThat(condition(result, ConditionTypes.READY).getMessage()).isEqualTo("a, b all claim 198.51.100.10/24");
    }

    @Test
    void aMasterThatTookOverAfterTheOldMastersLastReportSupersedesItInsteadOfSplitBrain() {
        var entries = Map.of("a", entry(NodeState.MASTER, NOW.minusSeconds(60), NOW.minusSeconds(8)),
                "b", entry(NodeState.MASTER, NOW.minusSeconds(5), NOW.minusSeconds(1)));
        var result = aggregate(entries, resolved("a", "b"));
        assertThat(result.phase()).isNotEqualTo(Phase.SplitBrain);
        assertThat(result.master()).isEqualTo("b");
    }

    @Test
    void twoMastersEachConfirmedAfterTheOtherBeganAreSplitBrain() {
        var entries = Map.of("a", entry(NodeState.MASTER, NOW.minusSeconds(60), NOW.minusSeconds(1)),
                "b", entry(NodeState.MASTER, NOW.minusSeconds(5), NOW.minusSeconds(2)));
        assertThat(aggregate(entries, resolved("a", "b")).phase()).isEqualTo(Phase.SplitBrain);
    }

    @Test
    void freshnessIsTheOperatorsReceiveTimeNotAFutureDatedWriterClock() {
        NodeStatus forged = new NodeStatus(NodeState.MASTER, Timestamps.formatMillis(NOW.plusSeconds(3600)));
        forged.since = Timestamps.formatMillis(NOW.plusSeconds(3600));
        var entries = Map.of("a", new Received(forged, NOW.minusSeconds(40), NOW.minusSeconds(31), false, forged.lastUpdate),
                "b", entry(NodeState.MASTER, NOW.minusSeconds(5), NOW.minusSeconds(1)));
        var result = aggregate(entries, resolved("a", "b"));
        assertThat(result.master()).as("a's last report arrived 31 s ago, whatever its own clock says").isEqualTo("b");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo("no fresh report (within 30s) from a");
    }

    @Test
    void twoClaimsFirstSeenInTheInitialListAreOrderedByTheWritersClocks() {
        NodeStatus old = new NodeStatus(NodeState.MASTER, null);
        old.since = Timestamps.formatMillis(NOW.minusSeconds(600));
        NodeStatus taker = new NodeStatus(NodeState.MASTER, null);
        taker.since = Timestamps.formatMillis(NOW.minusSeconds(20));
        var entries = Map.of(
                "a", new Received(old, NOW.minusSeconds(2), NOW.minusSeconds(2), true, Timestamps.formatMillis(NOW.minusSeconds(25))),
                "b", new Received(taker, NOW.minusSeconds(2), NOW.minusSeconds(2), true, Timestamps.formatMillis(NOW.minusSeconds(3))));
        var result = aggregate(entries, resolved("a", "b"));
        assertThat(result.phase()).as("b took over after a's last report, by their own clocks").isNotEqualTo(Phase.SplitBrain);
        assertThat(result.master()).isEqualTo("b");
    }

    @Test
    void thePerNodeViewListsEveryReportingNode() {
        var result = aggregate(received("a", NodeState.MASTER, 1, "z", NodeState.BACKUP, 1), resolved("a"));
        assertThat(result.nodes()).containsOnlyKeys("a", "z");
        assertThat(result.nodes().get("a").state).isEqualTo(NodeState.MASTER);
    }

    @Test
    void aStaleMasterDoesNotCountAndAStaleSelectedNodeDegrades() {
        var result = aggregate(received("a", NodeState.MASTER, 31, "b", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(result.master()).isEqualTo("b");
        assertThat(condition(result, ConditionTypes.DEGRADED).getReason()).isEqualTo("StaleNodes");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).contains("a");
    }

    @Test
    void aSelectedNodeThatNeverReportedDegrades() {
        var result = aggregate(received("a", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo("no fresh report (within 30s) from b");
    }

    @Test
    void anIsolatedNodeRaisesIsolatedNamingIt() {
        var result = aggregate(received("a", NodeState.ISOLATED, 1, "b", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(result, ConditionTypes.ISOLATED).getStatus()).isEqualTo("True");
        assertThat(condition(result, ConditionTypes.ISOLATED).getMessage()).isEqualTo("a is isolated (because)");
        assertThat(condition(result, ConditionTypes.READY).getStatus()).isEqualTo("True");
    }

    @Test
    void noReportYetIsPending() {
        var result = aggregate(received(), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Pending);
        assertThat(condition(result, ConditionTypes.READY).getReason()).isEqualTo("AwaitingAgents");
    }

    @Test
    void aSelectorMatchingNoNodeIsDegradedWithNoEligibleNodes() {
        var result = aggregate(received(), resolved());
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(result, ConditionTypes.DEGRADED).getReason()).isEqualTo("NoEligibleNodes");
    }

    @Test
    void anInvalidSpecIsInvalidButStillReportsTheRunningMaster() {
        var problems = List.of(new FieldProblem("spec.address", "'x' is not an IPv4 address"));
        var result = aggregator.aggregate(new VirtualIPStatus(), 4L, problems, resolved("a"), 1, null, received("a", NodeState.MASTER, 1), NOW);
        assertThat(result.phase()).isEqualTo(Phase.Invalid);
        assertThat(result.master()).isEqualTo("a");
        assertThat(condition(result, ConditionTypes.VALID).getMessage()).startsWith("spec.address: 'x' is not an IPv4 address")
                .contains("last valid configuration (generation 1)");
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheirStatusStays() {
        var first = aggregate(received("a", NodeState.MASTER, 1), resolved("a"));
        VirtualIPStatus later = new VirtualIPStatus();
        later.conditions = first.conditions();
        var second = aggregator.aggregate(later, 3L, List.of(), resolved("a"), 1, null, received("a", NodeState.MASTER, -59), NOW.plusSeconds(60));
        assertThat(condition(second, ConditionTypes.READY).getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
    }

    @Test
    void aContestedVhidIsDegradedWithVhidConflictAndWarnsOnceNamingTheOther() {
        String conflict = "VHID 1 is also used by VirtualIP 'older', which may share a link with 'web' (nodes a; interfaces auto-detected)";
        var healthy = received("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 1);
        var first = aggregator.aggregate(new VirtualIPStatus(), 3L, List.of(), resolved("a", "b"), 1, conflict, healthy, NOW);
        assertThat(first.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(first, ConditionTypes.DEGRADED).getReason()).isEqualTo("VhidConflict");
        assertThat(condition(first, ConditionTypes.DEGRADED).getMessage()).isEqualTo(conflict);
        assertThat(condition(first, ConditionTypes.READY).getStatus()).isEqualTo("True");
        assertThat(StatusTransitions.between(new VirtualIPStatus(), first))
                .contains(EventNote.warning("VhidConflict", conflict));

        VirtualIPStatus written = new VirtualIPStatus();
        written.master = first.master();
        written.conditions = first.conditions();
        var again = aggregator.aggregate(written, 3L, List.of(), resolved("a", "b"), 1, conflict, healthy, NOW);
        assertThat(StatusTransitions.between(written, again)).as("said once, not on every reconcile").isEmpty();
    }

    private static WireConflictReport foreignAdvert(String sender) {
        WireConflictReport conflict = new WireConflictReport();
        conflict.kind = WireConflictReport.FOREIGN_ADVERT;
        conflict.vhid = 1;
        conflict.sender = sender;
        return conflict;
    }

    private static WireConflictReport otherOwner(String mac) {
        WireConflictReport conflict = new WireConflictReport();
        conflict.kind = WireConflictReport.DUPLICATE_OWNER;
        conflict.vhid = 1;
        conflict.senderMac = mac;
        return conflict;
    }

    /** An entry received {@code age} seconds ago, in that state since then, with these current conflicts (as the ledger keeps them). */
    private static Received reporting(NodeState state, int age, WireConflictReport... conflicts) {
        Received entry = entry(state, NOW.minusSeconds(age), NOW.minusSeconds(age));
        entry.status().conflicts = List.of(conflicts);
        return entry;
    }

    /** The status as the operator wrote it after {@code aggregate}, for the next reconcile. */
    private static VirtualIPStatus written(StatusAggregate aggregate) {
        VirtualIPStatus status = new VirtualIPStatus();
        status.master = aggregate.master();
        status.conditions = aggregate.conditions();
        return status;
    }

    private static void assertCondition(StatusAggregate aggregate, String type, String status, String reason) {
        assertThat(condition(aggregate, type)).as(type).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(status);
            assertThat(c.getReason()).isEqualTo(reason);
        });
    }

    @Test
    void withoutConflictsVhidConflictIsFalseAndSplitBrainStaysWithTheMasterClaims() {
        var result = aggregate(received("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 1), resolved("a", "b"));
        assertCondition(result, ConditionTypes.VHID_CONFLICT, "False", "NoConflict");
        assertThat(condition(result, ConditionTypes.VHID_CONFLICT).getMessage())
                .isEqualTo("no node hears another speaker for VHID 1 and no other VirtualIP that may share a link holds it");
        assertCondition(result, ConditionTypes.SPLIT_BRAIN, "False", "SingleMaster");
        assertThat(result.phase()).isEqualTo(Phase.Ready);
    }

    @Test
    void aForeignAdvertHeardByASelectedNodeIsAVhidConflictNamingNodeSenderAndVhidAndDegrades() {
        var entries = Map.of("a", reporting(NodeState.MASTER, 1), "b", reporting(NodeState.FAILED, 1, foreignAdvert("192.0.2.50")));
        var result = aggregate(entries, resolved("a", "b"));
        assertCondition(result, ConditionTypes.VHID_CONFLICT, "True", "ForeignAdvertisements");
        String message = condition(result, ConditionTypes.VHID_CONFLICT).getMessage();
        assertThat(message).startsWith("b hears CARP adverts for VHID 1 from 192.0.2.50 that do not authenticate with this"
                + " VirtualIP's password and address: another CARP speaker uses the VHID on that link");
        assertCondition(result, ConditionTypes.DEGRADED, "True", "VhidConflict");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo(message);
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertCondition(result, ConditionTypes.SPLIT_BRAIN, "False", "SingleMaster");
        assertCondition(result, ConditionTypes.READY, "True", "MasterElected");
    }

    @Test
    void nodesHearingTheSameSenderAreNamedTogetherAndEverySenderIsNamed() {
        var entries = Map.of("a", reporting(NodeState.MASTER, 1, foreignAdvert("192.0.2.50")),
                "b", reporting(NodeState.BACKUP, 1, foreignAdvert("192.0.2.50"), foreignAdvert("192.0.2.51")));
        assertThat(condition(aggregate(entries, resolved("a", "b")), ConditionTypes.VHID_CONFLICT).getMessage())
                .startsWith("a, b hear CARP adverts for VHID 1 from 192.0.2.50 that do not authenticate with this VirtualIP's password"
                        + " and address; b hears CARP adverts for VHID 1 from 192.0.2.51 that do not authenticate");
    }

    @Test
    void aForeignAdvertFromAStaleEntryOrANodeNotSelectedIsIgnored() {
        var entries = Map.of("a", reporting(NodeState.MASTER, 1), "b", reporting(NodeState.BACKUP, 31, foreignAdvert("192.0.2.50")),
                "z", reporting(NodeState.BACKUP, 1, foreignAdvert("192.0.2.51")));
        assertCondition(aggregate(entries, resolved("a", "b")), ConditionTypes.VHID_CONFLICT, "False", "NoConflict");
    }

    @Test
    void theAllocatorsVerdictAloneIsAContestedVhidAndWithForeignAdvertsBothAreNamed() {
        String contested = "VHID 1 is also used by VirtualIP 'older', which may share a link with 'web' (nodes a; interfaces auto-detected)";
        var quiet = Map.of("a", reporting(NodeState.MASTER, 1));
        var alone = aggregator.aggregate(new VirtualIPStatus(), 3L, List.of(), resolved("a"), 1, contested, quiet, NOW);
        assertCondition(alone, ConditionTypes.VHID_CONFLICT, "True", "VhidContested");
        assertThat(condition(alone, ConditionTypes.VHID_CONFLICT).getMessage()).isEqualTo(contested);

        var heard = Map.of("a", reporting(NodeState.MASTER, 1, foreignAdvert("192.0.2.50")));
        var both = aggregator.aggregate(new VirtualIPStatus(), 3L, List.of(), resolved("a"), 1, contested, heard, NOW);
        assertCondition(both, ConditionTypes.VHID_CONFLICT, "True", "ForeignAdvertisements");
        assertThat(condition(both, ConditionTypes.VHID_CONFLICT).getMessage()).contains("from 192.0.2.50").endsWith("; " + contested);
        assertThat(condition(both, ConditionTypes.DEGRADED).getMessage()).isEqualTo(condition(both, ConditionTypes.VHID_CONFLICT).getMessage());
    }

    @Test
    void foreignAdvertsWarnOnceWhenHeardAgainWhenAnotherSenderJoinsAndNotAtAllWhenTheyStop() {
        var resolved = resolved("a", "b");
        var heard = aggregate(Map.of("a", reporting(NodeState.MASTER, 1), "b", reporting(NodeState.FAILED, 1, foreignAdvert("192.0.2.50"))),
                resolved);
        String message = condition(heard, ConditionTypes.VHID_CONFLICT).getMessage();
        assertThat(StatusTransitions.between(written(aggregate(received("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 1), resolved)), heard))
                .containsExactly(EventNote.warning("VhidConflict", message));

        var again = aggregator.aggregate(written(heard), 3L, List.of(), resolved, 1, null,
                Map.of("a", reporting(NodeState.MASTER, 1), "b", reporting(NodeState.FAILED, 1, foreignAdvert("192.0.2.50"))), NOW);
        assertThat(StatusTransitions.between(written(heard), again)).as("said once, not on every reconcile").isEmpty();

        var another = aggregator.aggregate(written(again), 3L, List.of(), resolved, 1, null, Map.of("a",
                reporting(NodeState.MASTER, 1), "b", reporting(NodeState.FAILED, 1, foreignAdvert("192.0.2.50"), foreignAdvert("192.0.2.51"))), NOW);
        assertThat(StatusTransitions.between(written(again), another)).extracting(EventNote::message)
                .singleElement().asString().contains("192.0.2.51");

        var gone = aggregator.aggregate(written(another), 3L, List.of(), resolved, 1, null, received("a", NodeState.MASTER, 1, "b",
                NodeState.BACKUP, 1), NOW);
        assertCondition(gone, ConditionTypes.VHID_CONFLICT, "False", "NoConflict");
        assertThat(gone.phase()).isEqualTo(Phase.Ready);
        assertThat(StatusTransitions.between(written(another), gone)).isEmpty();
    }

    @Test
    void anotherOwnerSeenByTheMasterIsSplitBrainNamingNodeAddressAndMacWhileTheMasterStays() {
        var quiet = aggregate(received("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 1), resolved("a", "b"));
        var result = aggregate(Map.of("a", reporting(NodeState.MASTER, 1, otherOwner("02:00:00:00:00:99")), "b", reporting(NodeState.BACKUP, 1)),
                resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.SplitBrain);
        assertCondition(result, ConditionTypes.SPLIT_BRAIN, "True", "DuplicateAddressOwner");
        String message = "a holds 198.51.100.10/24 but 02:00:00:00:00:99 also answers ARP for it";
        assertThat(condition(result, ConditionTypes.SPLIT_BRAIN).getMessage()).isEqualTo(message);
        assertCondition(result, ConditionTypes.READY, "False", "DuplicateAddressOwner");
        assertThat(result.master()).as("our holder is still known").isEqualTo("a");
        assertCondition(result, ConditionTypes.VHID_CONFLICT, "False", "NoConflict");
        assertThat(StatusTransitions.between(written(quiet), result)).as("a warning, and no master change")
                .containsExactly(EventNote.warning("DuplicateAddressOwner", message));
        var again = aggregator.aggregate(written(result), 3L, List.of(), resolved("a", "b"), 1, null,
                Map.of("a", reporting(NodeState.MASTER, 1, otherOwner("02:00:00:00:00:99")), "b", reporting(NodeState.BACKUP, 1)), NOW);
        assertThat(StatusTransitions.between(written(result), again)).isEmpty();

        var gone = aggregator.aggregate(written(again), 3L, List.of(), resolved("a", "b"), 1, null,
                received("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 1), NOW);
        assertThat(gone.phase()).isEqualTo(Phase.Ready);
        assertCondition(gone, ConditionTypes.SPLIT_BRAIN, "False", "SingleMaster");
        assertCondition(gone, ConditionTypes.READY, "True", "MasterElected");
        assertThat(StatusTransitions.between(written(again), gone)).isEmpty();
    }

    @Test
    void anotherOwnerReportedByABackupOrAStaleMasterIsNotSplitBrain() {
        var byBackup = aggregate(Map.of("a", reporting(NodeState.MASTER, 1), "b", reporting(NodeState.BACKUP, 1, otherOwner("02:00:00:00:00:99"))),
                resolved("a", "b"));
        assertCondition(byBackup, ConditionTypes.SPLIT_BRAIN, "False", "SingleMaster");
        assertThat(byBackup.phase()).isEqualTo(Phase.Ready);

        var byStaleMaster = aggregate(Map.of("a", reporting(NodeState.MASTER, 31, otherOwner("02:00:00:00:00:99")),
                "b", reporting(NodeState.MASTER, 1)), resolved("a", "b"));
        assertCondition(byStaleMaster, ConditionTypes.SPLIT_BRAIN, "False", "SingleMaster");
    }

    @Test
    void aForeignAdvertIsNoSplitBrainAndAnotherOwnerIsNoVhidConflict() {
        var result = aggregate(Map.of("a", reporting(NodeState.MASTER, 1, otherOwner("02:00:00:00:00:99"), foreignAdvert("192.0.2.50"))),
                resolved("a"));
        assertThat(condition(result, ConditionTypes.SPLIT_BRAIN).getMessage()).doesNotContain("192.0.2.50");
        assertThat(condition(result, ConditionTypes.VHID_CONFLICT).getMessage()).doesNotContain("02:00:00:00:00:99");
        assertThat(result.phase()).as("split brain outranks degraded").isEqualTo(Phase.SplitBrain);
    }

    @Test
    void twoMastersOneOfWhichSeesAnotherOwnerStayMultipleMastersAndNameTheMac() {
        var result = aggregate(Map.of("a", reporting(NodeState.MASTER, 1, otherOwner("02:00:00:00:00:99")), "b", reporting(NodeState.MASTER, 1)),
                resolved("a", "b"));
        assertCondition(result, ConditionTypes.SPLIT_BRAIN, "True", "MultipleMasters");
        assertThat(condition(result, ConditionTypes.SPLIT_BRAIN).getMessage()).isEqualTo("a, b all claim MASTER for 198.51.100.10/24;"
                + " a holds 198.51.100.10/24 but 02:00:00:00:00:99 also answers ARP for it");
    }
    @Test
    void theValidConditionSaysSpecValidOrInvalidSpecAndOnlyMentionsALastValidConfigurationThatExists() {
        assertCondition(aggregate(received("a", NodeState.MASTER, 1), resolved("a")), ConditionTypes.VALID, "True", "SpecValid");
        assertThat(condition(aggregate(received("a", NodeState.MASTER, 1), resolved("a")), ConditionTypes.VALID).getMessage())
                .isEqualTo("the spec is valid");

        var problems = List.of(new FieldProblem("spec.vhid", "0 is outside 1-255"));
        var neverValid = aggregator.aggregate(new VirtualIPStatus(), 4L, problems, null, null, null, received(), NOW);
        assertCondition(neverValid, ConditionTypes.VALID, "False", "InvalidSpec");
        assertThat(condition(neverValid, ConditionTypes.VALID).getMessage()).isEqualTo("spec.vhid: 0 is outside 1-255");
    }

    @Test
    void withoutAResolvedConfigurationNoNodeIsEligibleAndTheMessageSaysWhy() {
        var result = aggregator.aggregate(new VirtualIPStatus(), 3L, List.of(), null, null, null, received(), NOW);
        assertCondition(result, ConditionTypes.READY, "False", "NoEligibleNodes");
        assertThat(condition(result, ConditionTypes.READY).getMessage()).isEqualTo("no valid configuration has been resolved yet");
        assertCondition(result, ConditionTypes.DEGRADED, "True", "NoEligibleNodes");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo("no valid configuration has been resolved yet");
        assertThat(condition(result, ConditionTypes.VHID_CONFLICT).getMessage()).as("no VHID yet")
                .isEqualTo("no node hears another speaker for the VHID and no other VirtualIP that may share a link holds it");
        assertThat(result.phase()).isEqualTo(Phase.Degraded);

        var noNode = aggregate(received(), resolved());
        assertThat(condition(noNode, ConditionTypes.READY).getMessage()).isEqualTo("the nodeSelector matches no node");
    }

    @Test
    void freshBackupsWithoutAMasterAreNoMasterAndDegraded() {
        var result = aggregate(received("a", NodeState.BACKUP, 1, "b", NodeState.BACKUP, 1), resolved("a", "b"));
        assertCondition(result, ConditionTypes.READY, "False", "NoMaster");
        assertThat(condition(result, ConditionTypes.READY).getMessage()).isEqualTo("no node holds 198.51.100.10/24");
        assertCondition(result, ConditionTypes.DEGRADED, "True", "NoMaster");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo("no node holds 198.51.100.10/24");
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(result.master()).isEmpty();
    }

    @Test
    void onlyStaleReportsAreNoMasterNotAwaitingAgents() {
        var result = aggregate(received("a", NodeState.MASTER, 31, "b", NodeState.BACKUP, 31), resolved("a", "b"));
        assertCondition(result, ConditionTypes.READY, "False", "NoMaster");
        assertCondition(result, ConditionTypes.DEGRADED, "True", "NoMaster");
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
    }

    @Test
    void aReportIsFreshUpToTheStalenessBoundAndStaleOneSecondLater() {
        var atTheBound = aggregate(received("a", NodeState.MASTER, 30), resolved("a"));
        assertThat(atTheBound.master()).isEqualTo("a");
        assertThat(atTheBound.phase()).isEqualTo(Phase.Ready);
        var pastTheBound = aggregate(received("a", NodeState.MASTER, 31), resolved("a"));
        assertThat(pastTheBound.master()).isEmpty();
    }

    @Test
    void withoutIsolatedNodesIsolatedIsFalseWithNoNodeIsolated() {
        var result = aggregate(received("a", NodeState.MASTER, 1), resolved("a"));
        assertCondition(result, ConditionTypes.ISOLATED, "False", "NoNodeIsolated");
        assertThat(condition(result, ConditionTypes.ISOLATED).getMessage()).isEqualTo("no node is isolated");
        assertCondition(result, ConditionTypes.DEGRADED, "False", "AllNodesHealthy");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo("every selected node reports in time");
    }

    @Test
    void failedAndIsolatedNodesDegradeAsNodesUnhealthyNamingEachWithItsStateAndReason() {
        Map<String, Received> entries = new TreeMap<>(received("a", NodeState.MASTER, 1, "b", NodeState.FAILED, 1,
                "c", NodeState.ISOLATED, 1));
        Received withoutReason = entry(NodeState.FAILED, NOW.minusSeconds(1), NOW.minusSeconds(1));
        withoutReason.status().reason = null;
        entries.put("d", withoutReason);
        var result = aggregate(entries, resolved("a", "b", "c", "d"));
        assertCondition(result, ConditionTypes.DEGRADED, "True", "NodesUnhealthy");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage())
                .isEqualTo("b is failed (because); c is isolated (because); d is failed");
        assertThat(condition(result, ConditionTypes.ISOLATED).getMessage()).isEqualTo("c is isolated (because)");

        var failedOnly = aggregate(received("a", NodeState.MASTER, 1, "b", NodeState.FAILED, 1), resolved("a", "b"));
        assertThat(condition(failedOnly, ConditionTypes.DEGRADED).getMessage()).isEqualTo("b is failed (because)");
        assertThat(failedOnly.phase()).isEqualTo(Phase.Degraded);
    }

    @Test
    void aForeignAdvertWithoutItsOwnVhidOrSenderIsNamedWithTheVirtualIPsVhidAndAnUnknownSender() {
        WireConflictReport bare = new WireConflictReport();
        bare.kind = WireConflictReport.FOREIGN_ADVERT;
        Received entry = reporting(NodeState.MASTER, 1, bare);
        var result = aggregator.aggregate(new VirtualIPStatus(), 3L, List.of(), resolved("a"), 7, null, Map.of("a", entry), NOW);
        assertThat(condition(result, ConditionTypes.VHID_CONFLICT).getMessage())
                .startsWith("a hears CARP adverts for VHID 7 from an unknown sender that do not authenticate");
    }

    @Test
    void anotherOwnerWithTwoOrUnknownMacsIsNamedInTheSplitBrain() {
        var twoMacs = aggregate(Map.of("a", reporting(NodeState.MASTER, 1, otherOwner("02:00:00:00:00:99"), otherOwner("02:00:00:00:00:98"))),
                resolved("a"));
        assertThat(condition(twoMacs, ConditionTypes.SPLIT_BRAIN).getMessage())
                .isEqualTo("a holds 198.51.100.10/24 but 02:00:00:00:00:98, 02:00:00:00:00:99 also answer ARP for it");
        var unknown = aggregate(Map.of("a", reporting(NodeState.MASTER, 1, otherOwner(null))), resolved("a"));
        assertThat(condition(unknown, ConditionTypes.SPLIT_BRAIN).getMessage())
                .isEqualTo("a holds 198.51.100.10/24 but an unknown MAC also answers ARP for it");
    }
}
