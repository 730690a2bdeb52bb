package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ForeignAdvertBackOffTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger retries = new AtomicInteger();
    private final ForeignAdvertBackOff backOff = new ForeignAdvertBackOff(scheduler, scheduler.clock(), 1,
            retries::incrementAndGet);

    @Test
    void outsideARotationBacksOffThirtySecondsOnce() {
        String reason = backOff.begin(99, "Bad digest");
        assertThat(reason).startsWith("another node advertises vhid 99 with a different password or virtual address")
                .contains("retrying in 30s").endsWith("Bad digest");
        assertThat(backOff.begin(99, "Bad digest")).as("already backing off").isNull();
        assertThat(backOff.fromForeignNode()).isTrue();

        scheduler.advance(Duration.ofSeconds(29));
        assertThat(backOff.reason()).isEqualTo(reason);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(backOff.reason()).isNull();
        assertThat(retries).hasValue(1);
    }

    @Test
    void duringARotationBacksOffOneAdvertPeriodUntilTheWindowCloses() {
        backOff.enterRotation(Duration.ofSeconds(60));
        assertThat(backOff.begin(99, "Bad digest")).startsWith("password rotation:").contains("retrying in 1s");
        assertThat(backOff.fromForeignNode()).as("our own old master").isFalse();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(retries).hasValue(1);

        scheduler.advance(Duration.ofSeconds(59));
        assertThat(backOff.inRotation()).isFalse();
        assertThat(backOff.length()).isEqualTo(ForeignAdvertBackOff.NORMAL);
    }

    @Test
    void theRotationBackOffFollowsTheAdvertPeriod() {
        assertThat(ForeignAdvertBackOff.rotationBackOff(3)).isEqualTo(Duration.ofSeconds(3));
        assertThat(ForeignAdvertBackOff.rotationBackOff(0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void enteringARotationShortensALongBackOffAlreadyRunning() {
        backOff.begin(99, "Bad digest");
        scheduler.advance(Duration.ofSeconds(5));
        backOff.enterRotation(Duration.ofSeconds(60));

        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(retries).hasValue(1);
        assertThat(backOff.reason()).isNull();
    }

    @Test
    void clearForgetsTheBackOffWithoutARetry() {
        backOff.begin(99, "Bad digest");
        assertThat(backOff.clear()).isTrue();
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(retries).hasValue(0);
        assertThat(backOff.reason()).isNull();
        assertThat(backOff.clear()).isFalse();
    }
}
