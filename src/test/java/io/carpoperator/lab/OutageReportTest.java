package io.carpoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class OutageReportTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void parsesAReplyLineWithPingsReceiveTimestamp() {
        Optional<PingReply> reply = PingReply.parse(
                "[1700000000.123456] 64 bytes from 198.51.100.10: icmp_seq=7 ttl=64 time=0.051 ms");

        assertThat(reply).contains(new PingReply(T0.plusNanos(123_456_000), 7, 0.051));
    }

    @Test
    void keepsADuplicateReplyAsAReply() {
        assertThat(PingReply.parse("[1700000000.5] 64 bytes from 198.51.100.10: icmp_seq=9 ttl=64 time=0.2 ms (DUP!)"))
                .map(PingReply::at).contains(T0.plusMillis(500));
    }

    @Test
    void ignoresLinesThatAreNotReplies() {
        assertThat(PingReply.parse("PING 198.51.100.10 (198.51.100.10) 56(84) bytes of data.")).isEmpty();
        assertThat(PingReply.parse("[1700000000.010000] no answer yet for icmp_seq=3")).isEmpty();
        assertThat(PingReply.parse("[1700000000.010000] From 198.51.100.100 icmp_seq=4 Destination Host Unreachable"))
                .isEmpty();
        assertThat(PingReply.parse("2 packets transmitted, 2 received, 0% packet loss, time 1002ms")).isEmpty();
    }

    @Test
    void longestGapIsTheLongestSilenceBetweenConsecutiveReplies() {
        OutageReport report = new OutageReport(List.of(reply(0), reply(10), reply(20), reply(2_520), reply(2_530)));

        OutageReport.Gap gap = report.longestGap(T0, T0.plusMillis(2_530));

        assertThat(gap.duration()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(gap.start()).isEqualTo(T0.plusMillis(20));
        assertThat(gap.end()).isEqualTo(T0.plusMillis(2_520));
    }

    @Test
    void silenceUntilTheEndOfTheWindowCountsSoANeverRecoveredVipIsNotHealthy() {
        OutageReport report = new OutageReport(List.of(reply(0), reply(10)));

        assertThat(report.longestGap(T0, T0.plusMillis(5_000)).duration()).isEqualTo(Duration.ofMillis(4_990));
    }

    @Test
    void silenceFromTheStartOfTheWindowCounts() {
        OutageReport report = new OutageReport(List.of(reply(3_000), reply(3_010)));

        assertThat(report.longestGap(T0, T0.plusMillis(3_010)).duration()).isEqualTo(Duration.ofMillis(3_000));
    }

    @Test
    void repliesOutsideTheWindowAreIgnored() {
        OutageReport report = new OutageReport(List.of(reply(0), reply(5_000), reply(5_010), reply(5_020), reply(9_000)));

        assertThat(report.longestGap(T0.plusMillis(5_000), T0.plusMillis(5_020)).duration())
                .isEqualTo(Duration.ofMillis(10));
        assertThat(report.replyCount(T0.plusMillis(5_000), T0.plusMillis(5_020))).isEqualTo(3);
    }

    @Test
    void anEmptyWindowIsOneOutageAsLongAsTheWindow() {
        OutageReport report = new OutageReport(List.of());

        assertThat(report.longestGap(T0, T0.plusSeconds(2)).duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(report.firstReply()).isEmpty();
        assertThat(report.lastReply()).isEmpty();
    }

    @Test
    void firstAndLastReplyIgnoreArrivalOrder() {
        OutageReport report = new OutageReport(List.of(reply(30), reply(10), reply(20)));

        assertThat(report.firstReply()).contains(T0.plusMillis(10));
        assertThat(report.lastReply()).contains(T0.plusMillis(30));
    }

    private static PingReply reply(long millis) {
        return new PingReply(T0.plusMillis(millis), (int) (millis / 10), 0.05);
    }

    @Test
    void totalSilenceAddsTheGapsAboveTheThresholdEdgesIncluded() {
        List<PingReply> replies = List.of(new PingReply(T0.plusMillis(100), 1, 0.1), new PingReply(T0.plusMillis(110), 2, 0.1),
                new PingReply(T0.plusMillis(410), 3, 0.1), new PingReply(T0.plusMillis(420), 4, 0.1),
                new PingReply(T0.plusMillis(620), 5, 0.1));
        OutageReport report = new OutageReport(replies);

        assertThat(report.totalSilence(T0.plusMillis(100), T0.plusMillis(620), Duration.ofMillis(50)))
                .isEqualTo(Duration.ofMillis(300 + 200));
        assertThat(report.totalSilence(T0, T0.plusMillis(700), Duration.ofMillis(50)))
                .as("silence at both edges counts").isEqualTo(Duration.ofMillis(100 + 300 + 200 + 80));
        assertThat(report.totalSilence(T0.plusMillis(100), T0.plusMillis(620), Duration.ofMillis(250)))
                .isEqualTo(Duration.ofMillis(300));
    }
}
