package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolderSeriesTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final int NODE1 = 0;

    /** One poll every 20 ms; each letter is a poll: 1 node1 alone, 2 node2 alone, B both, 0 neither. */
    private static HolderSeries polls(String pattern) {
        List<Timeline.HolderSample> samples = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            samples.add(new Timeline.HolderSample(at(i), List.of(c == '1' || c == 'B', c == '2' || c == 'B')));
        }
        return new HolderSeries(samples);
    }

    private static Instant at(int poll) {
        return T0.plusMillis(20L * poll);
    }

    @Test
    void releaseIsTheFirstPollWithoutNode1AndSingleHolderTheFirstPollWithOneHolderAfterThat() {
        HolderSeries series = polls("11110000222222");

        assertThat(series.first(NODE1, false, at(0))).contains(at(4));
        assertThat(series.firstNotSoleHolder(NODE1, at(0)).flatMap(series::firstSingleHolder)).contains(at(8));
        assertThat(series.longestMultipleHolders(at(0), at(13))).isZero();
    }

    @Test
    void whenNode2TakesOverBeforeNode1LetsGoTheSingleHolderComesAfterTheOverlap() {
        HolderSeries series = polls("111BBB2222");

        assertThat(series.first(NODE1, false, at(0))).contains(at(6));
        assertThat(series.firstNotSoleHolder(NODE1, at(0)).flatMap(series::firstSingleHolder)).contains(at(6));
        assertThat(series.longestMultipleHolders(at(0), at(9))).isEqualTo(Duration.ofMillis(60));
    }

    @Test
    void node1KeepingTheVipAloneHasNoReleaseAndNoNewSingleHolder() {
        HolderSeries series = polls("11111");

        assertThat(series.first(NODE1, false, at(0))).isEmpty();
        assertThat(series.firstNotSoleHolder(NODE1, at(0)).flatMap(series::firstSingleHolder)).isEmpty();
    }

    @Test
    void theLongestOfSeveralOverlapsCountsAndAOnePollOverlapCountsOneInterval() {
        HolderSeries series = polls("1B1000BBB1");

        assertThat(series.longestMultipleHolders(at(0), at(9))).isEqualTo(Duration.ofMillis(60));
        assertThat(series.longestMultipleHolders(at(0), at(3))).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void anOverlapStillOpenAtTheEndCountsToTheLastPollAndIsReported() {
        HolderSeries series = polls("11BBB");

        assertThat(series.longestMultipleHolders(at(0), at(4))).isEqualTo(Duration.ofMillis(40));
        assertThat(series.endsWithMultipleHolders(at(0), at(4))).isTrue();
        assertThat(series.endsWithMultipleHolders(at(0), at(1))).isFalse();
    }

    @Test
    void pollsBeforeTheFaultDoNotCount() {
        HolderSeries series = polls("B0111");

        assertThat(series.first(NODE1, false, at(2))).isEmpty();
        assertThat(series.longestMultipleHolders(at(2), at(4))).isZero();
    }

    @Test
    void theLongestIntervalBetweenPollsIsTheResolution() {
        List<Timeline.HolderSample> samples = List.of(
                new Timeline.HolderSample(T0, List.of(true, false)),
                new Timeline.HolderSample(T0.plusMillis(20), List.of(true, false)),
                new Timeline.HolderSample(T0.plusMillis(75), List.of(false, false)),
                new Timeline.HolderSample(T0.plusMillis(95), List.of(false, false)));

        assertThat(new HolderSeries(samples).longestInterval(T0, T0.plusMillis(95))).isEqualTo(Duration.ofMillis(55));
    }
}
