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
    @Test
    void standingAsideWhileNotBackingOffSaysWhyAndRejoinsAfterTheHold() {
        String reason = backOff.standAside(Duration.ofSeconds(10), "the master switches to the new password");
        assertThat(reason).isEqualTo("password rotation: the master switches to the new password (rejoining in 10s)");
        assertThat(backOff.reason()).isEqualTo(reason);
        assertThat(backOff.fromForeignNode()).as("a rotation, not a foreign node").isFalse();
        scheduler.advance(Duration.ofMillis(9999));
        assertThat(retries).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(retries).hasValue(1);
        assertThat(backOff.reason()).isNull();
    }

    @Test
    void standingAsideDuringABackOffReplacesItsRetrySoItRejoinsOnceAfterTheHold() {
        backOff.begin(99, "Bad digest");
        scheduler.advance(Duration.ofSeconds(25));
        assertThat(backOff.standAside(Duration.ofSeconds(10), "rotation")).as("already backing off").isNull();
        assertThat(backOff.reason()).isEqualTo("password rotation: rotation (rejoining in 10s)");

        scheduler.advance(Duration.ofSeconds(5));
        assertThat(retries).as("the 30 s back-off no longer ends it").hasValue(0);
        assertThat(backOff.reason()).isNotNull();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(retries).hasValue(1);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aBackOffBegunAfterAClearEndsThirtySecondsAfterItsOwnStart() {
        backOff.begin(99, "Bad digest");
        scheduler.advance(Duration.ofSeconds(10));
        backOff.clear();
        scheduler.advance(Duration.ofSeconds(10));
        backOff.begin(99, "Bad digest");

        scheduler.advance(Duration.ofSeconds(29));
        assertThat(retries).as("the cleared back-off's retry is gone").hasValue(0);
        assertThat(backOff.reason()).isNotNull();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(retries).hasValue(1);
    }

    @Test
    void aCancelledBackOffNeverRetries() {
        backOff.begin(99, "Bad digest");
        backOff.cancel();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(retries).hasValue(0);
    }

    @Test
    void enteringARotationKeepsABackOffThatEndsWithinOneAdvertPeriod() {
        backOff.begin(99, "Bad digest");
        scheduler.advance(Duration.ofMillis(29500));
        backOff.enterRotation(Duration.ofSeconds(60));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(500));
    }
}
