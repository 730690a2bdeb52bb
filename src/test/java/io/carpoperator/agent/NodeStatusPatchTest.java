package io.carpoperator.agent;

import io.carpoperator.dataplane.VipReport;
import io.carpoperator.dataplane.WireConflict;
import io.carpoperator.dataplane.WireConflict.Kind;
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
                + "\"conflicts\":null,\"lastUpdate\":\"2026-01-01T00:00:00.123Z\"}},\"lastUpdate\":\"2026-01-01T00:00:00.123Z\"}}");
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

    private static WireConflict foreign(String sender, int lastSeenSecond, long count) {
        return new WireConflict(Kind.FOREIGN_ADVERT, 7, sender, null, "adverts for vhid 7 from " + sender + " fail authentication",
                T0, T0.plusSeconds(lastSeenSecond), count);
    }

    private static VipReport withConflicts(NodeState state, WireConflict... conflicts) {
        return new VipReport(state, T0, "because", "198.51.100.2", null, 0, List.of(conflicts));
    }

    @Test
    void carriesTheMostRecentlySeenFourConflictsWithEveryField() {
        WireConflict owner = new WireConflict(Kind.DUPLICATE_OWNER, 7, null, "02:00:00:00:00:99",
                "02:00:00:00:00:99 also answers ARP for 198.51.100.10", T0, T0.plusSeconds(9), 12);
        NodeStatus status = NodeStatusPatch.toNodeStatus(withConflicts(NodeState.MASTER, foreign("192.0.2.1", 1, 1),
                foreign("192.0.2.2", 5, 2), owner, foreign("192.0.2.3", 3, 3), foreign("192.0.2.4", 8, 4)), null, T0.plusSeconds(10));

        assertThat(status.conflicts).extracting(c -> c.sender == null ? c.senderMac : c.sender)
                .as("the oldest sighting (192.0.2.1) is left out").containsExactly("02:00:00:00:00:99", "192.0.2.4", "192.0.2.2", "192.0.2.3");
        var duplicate = status.conflicts.get(0);
        assertThat(duplicate.kind).isEqualTo("DUPLICATE_OWNER");
        assertThat(duplicate.vhid).isEqualTo(7);
        assertThat(duplicate.sender).isNull();
        assertThat(duplicate.message).isEqualTo("02:00:00:00:00:99 also answers ARP for 198.51.100.10");
        assertThat(duplicate.firstSeen).isEqualTo("2026-01-01T00:00:00.123Z");
        assertThat(duplicate.lastSeen).isEqualTo("2026-01-01T00:00:09.123Z");
        assertThat(duplicate.count).isEqualTo(12L);
        assertThat(status.conflicts.get(1).kind).isEqualTo("FOREIGN_ADVERT");
    }

    @Test
    void anEntryWithoutConflictsCarriesNoConflictList() {
        assertThat(NodeStatusPatch.toNodeStatus(withConflicts(NodeState.BACKUP), null, T0).conflicts).isNull();
    }

    @Test
    void aConflictGoesIntoThePatchWithOnlyTheFieldsItHas() {
        NodeStatus status = NodeStatusPatch.toNodeStatus(withConflicts(NodeState.BACKUP, foreign("192.0.2.50", 2, 3)), null, T0);
        assertThat(NodeStatusPatch.entry(status).get("conflicts").toString()).isEqualTo("[{\"kind\":\"FOREIGN_ADVERT\",\"vhid\":7,"
                + "\"sender\":\"192.0.2.50\",\"message\":\"adverts for vhid 7 from 192.0.2.50 fail authentication\","
                + "\"firstSeen\":\"2026-01-01T00:00:00.123Z\",\"lastSeen\":\"2026-01-01T00:00:02.123Z\",\"count\":3}]");
    }

    @Test
    void aNewCompetitorIsWrittenAtOnceButAnotherSightingOfTheSameWaitsForTheRefresh() {
        VipReport quiet = withConflicts(NodeState.BACKUP);
        VipReport heard = withConflicts(NodeState.BACKUP, foreign("192.0.2.50", 1, 1));
        VipReport heardAgain = withConflicts(NodeState.BACKUP, foreign("192.0.2.50", 4, 5));
        VipReport another = withConflicts(NodeState.BACKUP, foreign("192.0.2.50", 4, 5), foreign("192.0.2.51", 4, 1));
        assertThat(NodeStatusPatch.sameContent(quiet, heard)).isFalse();
        assertThat(NodeStatusPatch.sameContent(heard, heardAgain)).isTrue();
        assertThat(NodeStatusPatch.sameContent(heardAgain, another)).isFalse();
        assertThat(NodeStatusPatch.sameContent(heard, quiet)).as("a conflict that ends").isFalse();
    }
}
