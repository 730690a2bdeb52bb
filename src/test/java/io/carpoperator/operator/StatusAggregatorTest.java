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
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    private static VirtualIPStatus status(Object... nameStateAge) {
        VirtualIPStatus status = new VirtualIPStatus();
        for (int i = 0; i < nameStateAge.length; i += 3) {
            NodeStatus entry = new NodeStatus((NodeState) nameStateAge[i + 1],
                    Timestamps.formatMillis(NOW.minusSeconds((Integer) nameStateAge[i + 2])));
            entry.reason = "because";
            status.nodes.put((String) nameStateAge[i], entry);
        }
        return status;
    }

    private StatusAggregate aggregate(VirtualIPStatus status, ResolvedConfig resolved) {
        return aggregator.aggregate(status, 3L, List.of(), resolved, 1, NOW);
    }

    private static Condition condition(StatusAggregate aggregate, String type) {
        return aggregate.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void oneFreshMasterAndFreshBackupsIsReady() {
        var result = aggregate(status("a", NodeState.MASTER, 1, "b", NodeState.BACKUP, 2), resolved("a", "b"));
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
        var result = aggregate(status("a", NodeState.MASTER, 1, "b", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.SplitBrain);
        assertThat(result.master()).isEmpty();
        assertThat(condition(result, ConditionTypes.SPLIT_BRAIN).getMessage()).isEqualTo("a, b all claim MASTER for 198.51.100.10/24");
    }

    @Test
    void aMasterThatTookOverAfterTheOldMastersLastReportSupersedesItInsteadOfSplitBrain() {
        VirtualIPStatus status = status("a", NodeState.MASTER, 8, "b", NodeState.MASTER, 1);
        status.nodes.get("a").since = Timestamps.formatMillis(NOW.minusSeconds(60));
        status.nodes.get("b").since = Timestamps.formatMillis(NOW.minusSeconds(5));
        var result = aggregate(status, resolved("a", "b"));
        assertThat(result.phase()).isNotEqualTo(Phase.SplitBrain);
        assertThat(result.master()).isEqualTo("b");
    }

    @Test
    void twoMastersEachConfirmedAfterTheOtherBeganAreSplitBrain() {
        VirtualIPStatus status = status("a", NodeState.MASTER, 1, "b", NodeState.MASTER, 2);
        status.nodes.get("a").since = Timestamps.formatMillis(NOW.minusSeconds(60));
        status.nodes.get("b").since = Timestamps.formatMillis(NOW.minusSeconds(5));
        assertThat(aggregate(status, resolved("a", "b")).phase()).isEqualTo(Phase.SplitBrain);
    }

    @Test
    void aStaleMasterDoesNotCountAndAStaleSelectedNodeDegrades() {
        var result = aggregate(status("a", NodeState.MASTER, 31, "b", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(result.master()).isEqualTo("b");
        assertThat(condition(result, ConditionTypes.DEGRADED).getReason()).isEqualTo("StaleNodes");
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).contains("a");
    }

    @Test
    void aSelectedNodeThatNeverReportedDegrades() {
        var result = aggregate(status("a", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(result, ConditionTypes.DEGRADED).getMessage()).isEqualTo("no fresh report (within 30s) from b");
    }

    @Test
    void anIsolatedNodeRaisesIsolatedNamingIt() {
        var result = aggregate(status("a", NodeState.ISOLATED, 1, "b", NodeState.MASTER, 1), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(result, ConditionTypes.ISOLATED).getStatus()).isEqualTo("True");
        assertThat(condition(result, ConditionTypes.ISOLATED).getMessage()).isEqualTo("a is isolated (because)");
        assertThat(condition(result, ConditionTypes.READY).getStatus()).isEqualTo("True");
    }

    @Test
    void noReportYetIsPending() {
        var result = aggregate(status(), resolved("a", "b"));
        assertThat(result.phase()).isEqualTo(Phase.Pending);
        assertThat(condition(result, ConditionTypes.READY).getReason()).isEqualTo("AwaitingAgents");
    }

    @Test
    void aSelectorMatchingNoNodeIsDegradedWithNoEligibleNodes() {
        var result = aggregate(status(), resolved());
        assertThat(result.phase()).isEqualTo(Phase.Degraded);
        assertThat(condition(result, ConditionTypes.DEGRADED).getReason()).isEqualTo("NoEligibleNodes");
    }

    @Test
    void anInvalidSpecIsInvalidButStillReportsTheRunningMaster() {
        var problems = List.of(new FieldProblem("spec.address", "'x' is not an IPv4 address"));
        var result = aggregator.aggregate(status("a", NodeState.MASTER, 1), 4L, problems, resolved("a"), 1, NOW);
        assertThat(result.phase()).isEqualTo(Phase.Invalid);
        assertThat(result.master()).isEqualTo("a");
        assertThat(condition(result, ConditionTypes.VALID).getMessage()).startsWith("spec.address: 'x' is not an IPv4 address")
                .contains("last valid configuration (generation 1)");
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheirStatusStays() {
        var first = aggregate(status("a", NodeState.MASTER, 1), resolved("a"));
        VirtualIPStatus later = status("a", NodeState.MASTER, -59);
        later.conditions = first.conditions();
        var second = aggregator.aggregate(later, 3L, List.of(), resolved("a"), 1, NOW.plusSeconds(60));
        assertThat(condition(second, ConditionTypes.READY).getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
    }
}
