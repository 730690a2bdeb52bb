package io.carpoperator.agent;

import io.carpoperator.dataplane.VipReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.testing.ManualScheduler;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStatusReporterTest {
    private final ManualScheduler time = new ManualScheduler();
    private final List<String> written = new ArrayList<>();
    private boolean apiUp = true;
    private final NodeStatusReporter reporter = new NodeStatusReporter("node-a", "203.0.113.1", (node, patch, whole, replace) -> {
        if (!apiUp) {
            throw new java.net.ConnectException("Connection refused");
        }
        assertThat(whole.getMetadata().getName()).isEqualTo(node);
        written.add(node + " " + patch);
    }, time, time.clock(), Duration.ofSeconds(10));

    private VipReport report(NodeState state) {
        return new VipReport(state, Instant.parse("2026-01-01T00:00:00Z"), "because", "198.51.100.2", null, 0, List.of());
    }

    @Test
    void writesOurNodeReportOnTheWriterThreadNotTheCallers() {
        reporter.report("web", report(NodeState.MASTER));
        assertThat(written).as("nothing written by the caller").isEmpty();
        time.runDueTasks();
        assertThat(written).singleElement().asString().startsWith("node-a {\"spec\":{\"vips\":{\"web\":{\"state\":\"MASTER\"")
                .contains("\"heartbeatAddress\":\"203.0.113.1\"", "\"lastUpdate\":\"2026-01-01T00:00:00Z\"");
    }

    @Test
    void oneWritePerRefreshHoldsEveryVip() {
        for (String vip : List.of("a", "b", "c", "d", "e")) {
            reporter.report(vip, report(NodeState.BACKUP));
        }
        time.runDueTasks();
        assertThat(written).singleElement().asString().contains("\"a\":{", "\"e\":{");
        time.advance(Duration.ofSeconds(10));
        assertThat(written).as("five VIPs, one refresh write").hasSize(2);
        assertThat(written.get(1)).contains("\"a\":{", "\"e\":{");
    }

    @Test
    void coalescesBurstsToTheLatestReport() {
        reporter.report("web", report(NodeState.INIT));
        reporter.report("web", report(NodeState.BACKUP));
        reporter.report("web", report(NodeState.MASTER));
        time.runDueTasks();
        assertThat(written).singleElement().asString().contains("\"state\":\"MASTER\"");
    }

    @Test
    void refreshesLastUpdateWithoutNewReports() {
        reporter.report("web", report(NodeState.MASTER));
        time.runDueTasks();
        time.advance(Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(10));
        assertThat(written).hasSize(3);
        assertThat(written.get(2)).contains("\"lastUpdate\":\"2026-01-01T00:00:20Z\"");
    }

    @Test
    void queuesOnlyTheLatestReportWhileTheApiIsDownAndCatchesUp() {
        apiUp = false;
        reporter.report("web", report(NodeState.BACKUP));
        time.runDueTasks();
        reporter.report("web", report(NodeState.MASTER));
        reporter.report("db", report(NodeState.BACKUP));
        time.advance(Duration.ofSeconds(30));
        assertThat(reporter.writeFailures()).isGreaterThanOrEqualTo(3);
        assertThat(written).isEmpty();
        apiUp = true;
        time.advance(Duration.ofSeconds(10));
        assertThat(written).singleElement().asString().contains("\"web\":{\"state\":\"MASTER\"", "\"db\":{\"state\":\"BACKUP\"");
        assertThat(reporter.hasUnwritten()).isFalse();
    }

    @Test
    void removesAVipsEntryWithANullOnceAndThenLeavesItOut() {
        reporter.report("web", report(NodeState.BACKUP));
        reporter.report("db", report(NodeState.BACKUP));
        time.runDueTasks();
        reporter.remove("web");
        time.runDueTasks();
        assertThat(written.get(1)).contains("\"web\":null", "\"db\":{");
        time.advance(Duration.ofSeconds(10));
        assertThat(written).hasSize(3);
        assertThat(written.get(2)).doesNotContain("web");
    }

    @Test
    void removingAVipNeverReportedWritesNothing() {
        reporter.remove("web");
        time.advance(Duration.ofMinutes(1));
        assertThat(written).isEmpty();
    }

    @Test
    void anRttChangeAloneWaitsForTheRefreshButAProbeVerdictChangeIsWrittenAtOnce() {
        ProbeTarget peer = ProbeTarget.icmp(TargetRole.PEER, "198.51.100.3");
        VipReport fast = new VipReport(NodeState.BACKUP, time.now(), "ok", "198.51.100.2",
                new ProbeRound(time.now(), List.of(ProbeResult.answered(peer, Duration.ofMillis(1)))), 0, List.of());
        VipReport slow = new VipReport(NodeState.BACKUP, time.now(), "ok", "198.51.100.2",
                new ProbeRound(time.now().plusSeconds(1), List.of(ProbeResult.answered(peer, Duration.ofMillis(5)))), 0, List.of());
        VipReport lost = new VipReport(NodeState.BACKUP, time.now(), "ok", "198.51.100.2",
                new ProbeRound(time.now().plusSeconds(2), List.of(ProbeResult.failed(peer, "timeout after 400ms"))), 0, List.of());
        reporter.report("web", fast);
        time.runDueTasks();
        reporter.report("web", slow);
        time.runDueTasks();
        assertThat(written).hasSize(1);
        reporter.report("web", lost);
        time.runDueTasks();
        assertThat(written).hasSize(2);
        assertThat(written.get(1)).contains("\"peer\":{\"result\":\"fail\",\"rttMillis\":null,\"targets\":\"198.51.100.3\"}");
    }

    @Test
    void anUnreachableApiServerIsNotAHungWriter() {
        apiUp = false;
        reporter.report("web", report(NodeState.MASTER));
        time.advance(Duration.ofMinutes(5));

        assertThat(reporter.writeFailures()).isPositive();
        assertThat(reporter.hungWrite(NodeStatusReporter.WRITE_HANG_LIMIT)).as("failed writes are retried, not hung").isEmpty();
    }

    @Test
    void aWriteInFlightLongerThanTheLimitIsAHungWriterUntilItReturns() throws Exception {
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        NodeStatusReporter hanging = new NodeStatusReporter("node-a", "203.0.113.1", (node, patch, whole, replace) -> {
            writing.countDown();
            release.await();
        }, time, time.clock(), Duration.ofSeconds(10));
        hanging.report("web", report(NodeState.MASTER));
        Thread writer = new Thread(time::runDueTasks, "test-status-writer");
        writer.start();
        try {
            assertThat(writing.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            time.advance(Duration.ofSeconds(60));
            assertThat(hanging.hungWrite(Duration.ofSeconds(60))).as("60 s in flight is still within the limit").isEmpty();
            time.advance(Duration.ofSeconds(1));
            assertThat(hanging.hungWrite(Duration.ofSeconds(60))).hasValue(
                    "status writer: a write of NodeReport node-a has been in flight for 61 s (limit 60 s); its thread is hung");
        } finally {
            release.countDown();
            writer.join(5000);
        }
        assertThat(hanging.hungWrite(Duration.ofSeconds(60))).isEmpty();
    }
}
