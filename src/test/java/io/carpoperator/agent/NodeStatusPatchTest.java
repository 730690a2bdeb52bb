package io.carpoperator.agent;

import io.carpoperator.dataplane.VipReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ProbeSummary;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeStatusPatchTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    @Test
    void summarisesTheLastRoundPerRoleWithTheFastestAnswer() {
        ProbeRound round = new ProbeRound(T0, List.of(
                ProbeResult.answered(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.3"), Duration.ofNanos(2_500_000)),
                ProbeResult.answered(ProbeTarget.arp(TargetRole.PEER, "198.51.100.3", "eth0"), Duration.ofNanos(800_000)),
                ProbeResult.failed(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.4"), "exit 1"),
                ProbeResult.failed(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1"), "exit 2: Network is unreachable")));
        NodeStatus status = NodeStatusPatch.toNodeStatus(
                new VipReport(NodeState.MASTER, T0, "became master", "198.51.100.2", round, 3, List.of()), "203.0.113.1", T0.plusSeconds(1));

        assertThat(status.state).isEqualTo(NodeState.MASTER);
        assertThat(status.since).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(status.lastUpdate).isEqualTo("2026-01-01T00:00:01.123Z");
        assertThat(status.address).isEqualTo("198.51.100.2");
        assertThat(status.heartbeatAddress).isEqualTo("203.0.113.1");
        assertThat(status.ucarpRestarts).isEqualTo(3);
        assertThat(status.probes.peer.result).isEqualTo("ok");
        assertThat(status.probes.peer.rttMillis).isEqualTo(0.8);
        assertThat(status.probes.peer.targets).isEqualTo("198.51.100.3,198.51.100.4");
        assertThat(status.probes.isolationHost.result).isEqualTo("fail");
        assertThat(status.probes.isolationHost.rttMillis).isNull();
        assertThat(status.probes.heartbeat).as("no heartbeat targets").isNull();
        assertThat(status.probes.at).isEqualTo("2026-01-01T00:00:00.123Z");
    }

    @Test
    void sendsAbsentFieldsAsNullSoTheMergePatchClearsThem() {
        NodeStatus status = NodeStatusPatch.toNodeStatus(new VipReport(NodeState.INIT, null, null, null, null, 0, List.of()), null, T0);
        assertThat(NodeStatusPatch.report(Map.of("web", status), Set.of(), T0)).isEqualTo("{\"spec\":{\"vips\":{\"web\":{\"state\":\"INIT\","
                + "\"since\":null,\"reason\":null,\"address\":null,\"heartbeatAddress\":null,\"probes\":null,\"ucarpRestarts\":0,"
                + "\"lastUpdate\":\"2026-01-01T00:00:00.123Z\"}},\"lastUpdate\":\"2026-01-01T00:00:00.123Z\"}}");
    }

    @Test
    void namesAtMostEightTargetsPerRoleSoAReportDoesNotGrowWithTheCluster() {
        List<ProbeResult> results = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            results.add(ProbeResult.answered(ProbeTarget.icmp(TargetRole.PEER, "198.51.100." + i), Duration.ofMillis(1)));
        }
        ProbeSummary summary = NodeStatusPatch.summary(new ProbeRound(T0, results));
        assertThat(summary.peer.targets).isEqualTo("198.51.100.1,198.51.100.2,198.51.100.3,198.51.100.4,198.51.100.5,198.51.100.6,"
                + "198.51.100.7,198.51.100.8 (+4 more)");
    }

    @Test
    void aVipNoLongerReportedIsRemovedWithANull() {
        assertThat(NodeStatusPatch.report(Map.of(), Set.of("web"), T0))
                .isEqualTo("{\"spec\":{\"vips\":{\"web\":null},\"lastUpdate\":\"2026-01-01T00:00:00.123Z\"}}");
    }

    @Test
    void theFirstWriteCreatesTheReportNamedAfterTheNode() {
        NodeStatus status = NodeStatusPatch.toNodeStatus(new VipReport(NodeState.BACKUP, null, null, null, null, 0, List.of()), null, T0);
        var report = NodeStatusPatch.whole("node-a", Map.of("web", status), T0);
        assertThat(report.getMetadata().getName()).isEqualTo("node-a");
        assertThat(report.getSpec().vips).containsOnlyKeys("web");
        assertThat(report.getSpec().lastUpdate).isEqualTo("2026-01-01T00:00:00.123Z");
    }
}
