package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ProbeSummary;
import java.time.Instant;
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
}
