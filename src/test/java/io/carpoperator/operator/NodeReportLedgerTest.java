package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ProbeSummary;
import io.carpoperator.api.WireConflictReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeReportLedgerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final NodeReportLedger ledger = new NodeReportLedger();

    private static NodeStatus entry(NodeState state, String lastUpdate, double rtt) {
        NodeStatus status = new NodeStatus(state, lastUpdate);
        status.address = "198.51.100.2";
        status.probes = new ProbeSummary();
        status.probes.peer = new ProbeSummary.ProbeOutcome("ok", rtt, "198.51.100.3");
        status.probes.at = lastUpdate;
        return status;
    }

    @Test
    void aNewEntryChangesItsVirtualIP() {
        assertThat(ledger.record("node-a", Map.of("web", entry(NodeState.BACKUP, "t1", 0.5)), T0, false)).containsExactly("web");
        assertThat(ledger.entriesFor("web")).containsOnlyKeys("node-a");
        assertThat(ledger.address("node-a", "web")).isEqualTo("198.51.100.2");
    }

    @Test
    void aRefreshThatChangesOnlyTimesAndRoundTripsChangesNothingButTheReceiveTime() {
        ledger.record("node-a", Map.of("web", entry(NodeState.BACKUP, "t1", 0.5)), T0, false);
        assertThat(ledger.record("node-a", Map.of("web", entry(NodeState.BACKUP, "t2", 0.9)), T0.plusSeconds(10), false)).isEmpty();
        var received = ledger.entriesFor("web").get("node-a");
        assertThat(received.lastReceived()).isEqualTo(T0.plusSeconds(10));
        assertThat(received.stateSince()).isEqualTo(T0);
        assertThat(received.status().lastUpdate).as("the view keeps no refresh time").isNull();
        assertThat(received.status().probes.peer.rttMillis).isNull();
        assertThat(received.writerLastUpdate()).isEqualTo("t2");
    }

    @Test
    void aStateChangeChangesTheVirtualIPAndRestartsStateSince() {
        ledger.record("node-a", Map.of("web", entry(NodeState.BACKUP, "t1", 0.5)), T0, false);
        assertThat(ledger.record("node-a", Map.of("web", entry(NodeState.MASTER, "t2", 0.5)), T0.plusSeconds(3), false)).containsExactly("web");
        assertThat(ledger.entriesFor("web").get("node-a").stateSince()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void anEntryLeavingTheReportChangesItsVirtualIPOnly() {
        ledger.record("node-a", Map.of("web", entry(NodeState.BACKUP, "t1", 0.5), "db", entry(NodeState.MASTER, "t1", 0.5)), T0, false);
        assertThat(ledger.record("node-a", Map.of("db", entry(NodeState.MASTER, "t2", 0.5)), T0.plusSeconds(1), false)).containsExactly("web");
        assertThat(ledger.entriesFor("web")).isEmpty();
    }

    @Test
    void aDeletedReportChangesEveryVirtualIPItHadAndLeavesOtherNodesAlone() {
        ledger.record("node-a", Map.of("web", entry(NodeState.MASTER, "t1", 0.5), "db", entry(NodeState.BACKUP, "t1", 0.5)), T0, false);
        ledger.record("node-b", Map.of("web", entry(NodeState.BACKUP, "t1", 0.5)), T0, false);
        assertThat(ledger.forget("node-a")).containsExactly("db", "web");
        assertThat(ledger.entriesFor("web")).containsOnlyKeys("node-b");
    }

    @Test
    void entriesOfTheInitialListStayMarkedUntilTheirStateChanges() {
        ledger.record("node-a", Map.of("web", entry(NodeState.MASTER, "t1", 0.5)), T0, true);
        ledger.record("node-a", Map.of("web", entry(NodeState.MASTER, "t2", 0.5)), T0.plusSeconds(10), false);
        assertThat(ledger.entriesFor("web").get("node-a").initial()).isTrue();
        ledger.record("node-a", Map.of("web", entry(NodeState.BACKUP, "t3", 0.5)), T0.plusSeconds(20), false);
        assertThat(ledger.entriesFor("web").get("node-a").initial()).isFalse();
    }

    /** node-a's entry written at {@code writtenAt}, hearing 192.0.2.50's adverts last {@code lastSeen}. */
    private static NodeStatus hearing(String writtenAt, String lastSeen, long count) {
        NodeStatus status = entry(NodeState.FAILED, writtenAt, 0.5);
        WireConflictReport conflict = new WireConflictReport();
        conflict.kind = WireConflictReport.FOREIGN_ADVERT;
        conflict.vhid = 7;
        conflict.sender = "192.0.2.50";
        conflict.message = "adverts for vhid 7 from 192.0.2.50 fail authentication";
        conflict.firstSeen = "2026-12-01T09:59:00Z";
        conflict.lastSeen = lastSeen;
        conflict.count = count;
        status.conflicts = List.of(conflict);
        return status;
    }

    @Test
    void aConflictSeenWithinAMinuteOfTheReportIsKeptWithoutItsLastSeenAndCount() {
        assertThat(ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:00:00Z", "2026-12-01T09:59:01Z", 3)), T0, false))
                .containsExactly("web");
        var conflicts = ledger.entriesFor("web").get("node-a").status().conflicts;
        assertThat(conflicts).extracting(c -> c.sender).containsExactly("192.0.2.50");
        assertThat(conflicts.get(0).message).isEqualTo("adverts for vhid 7 from 192.0.2.50 fail authentication");
        assertThat(conflicts.get(0).lastSeen).as("changes with every sighting; the NodeReport keeps it").isNull();
        assertThat(conflicts.get(0).count).isNull();
    }

    @Test
    void anotherSightingOfTheSameConflictChangesNothing() {
        ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:00:00Z", "2026-12-01T09:59:59Z", 3)), T0, false);
        assertThat(ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:00:10Z", "2026-12-01T10:00:09Z", 13)),
                T0.plusSeconds(10), false)).isEmpty();
    }

    @Test
    void aConflictLastSeenOverAMinuteBeforeTheReportWasWrittenIsOverAndChangesItsVirtualIP() {
        ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", 3)), T0, false);
        assertThat(ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:01:00Z", "2026-12-01T10:00:00Z", 3)),
                T0.plusSeconds(60), false)).as("60 s after the last sighting: still current").isEmpty();
        assertThat(ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:01:00.001Z", "2026-12-01T10:00:00Z", 3)),
                T0.plusSeconds(61), false)).containsExactly("web");
        assertThat(ledger.entriesFor("web").get("node-a").status().conflicts).isNull();
    }

    @Test
    void stalenessIsJudgedByTheWritersOwnClockNotTheOperators() {
        // the node's clock runs an hour behind ours: its conflict is a second old by its own clock, so current
        ledger.record("node-a", Map.of("web", hearing("2026-12-01T09:00:00Z", "2026-12-01T08:59:59Z", 3)), T0, false);
        assertThat(ledger.entriesFor("web").get("node-a").status().conflicts).hasSize(1);
    }

    @Test
    void aConflictWhoseTimesCannotBeReadStaysCurrent() {
        ledger.record("node-a", Map.of("web", hearing("2026-12-01T10:00:00Z", "yesterday", 3)), T0, false);
        assertThat(ledger.entriesFor("web").get("node-a").status().conflicts).hasSize(1);
    }
}
