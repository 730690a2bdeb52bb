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
}
