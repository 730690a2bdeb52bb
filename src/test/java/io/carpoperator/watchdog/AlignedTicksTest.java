package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class AlignedTicksTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void theNextMultipleOfThePeriodWhenItIsAtLeastHalfAPeriodAway() {
        assertThat(AlignedTicks.delayToNext(10_000, SECOND)).isEqualTo(SECOND);
        assertThat(AlignedTicks.delayToNext(10_300, SECOND)).isEqualTo(Duration.ofMillis(700));
        assertThat(AlignedTicks.delayToNext(10_500, SECOND)).as("exactly half: kept").isEqualTo(Duration.ofMillis(500));
        assertThat(AlignedTicks.delayToNext(1_250, Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theMultipleAfterThatWhenTheNextIsCloserThanHalfAPeriod() {
        assertThat(AlignedTicks.delayToNext(10_501, SECOND)).isEqualTo(Duration.ofMillis(1499));
        assertThat(AlignedTicks.delayToNext(10_900, SECOND)).isEqualTo(Duration.ofMillis(1100));
        assertThat(AlignedTicks.delayToNext(1_300, Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aPeriodShorterThanAMillisecondCountsAsOne() {
        assertThat(AlignedTicks.delayToNext(10_000, Duration.ofNanos(10))).isEqualTo(Duration.ofMillis(1));
    }
}
