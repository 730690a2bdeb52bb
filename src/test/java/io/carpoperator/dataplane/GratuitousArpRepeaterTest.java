package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class GratuitousArpRepeaterTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicBoolean master = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final GratuitousArpRepeater repeater = new GratuitousArpRepeater("vip web", scheduler, scheduler.clock(), master::get,
            sent::incrementAndGet);

    @Test
    void repeatsEveryIntervalOnlyWhileMaster() {
        repeater.schedule(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(sent).hasValue(3);

        master.set(false);
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(sent).hasValue(3);
    }

    @Test
    void aNewIntervalReplacesTheOldOneFromItsNextMultipleOn() {
        repeater.schedule(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofMillis(5_500));
        repeater.schedule(Duration.ofSeconds(2));
        scheduler.advance(Duration.ofMillis(4_600));

        assertThat(sent).as("at 8 and 10 s (6 s is too close to the change at 5.5 s); once at 10 s").hasValue(2);
    }

    @Test
    void repeatsFallOnTheWallClocksMultiplesOfTheIntervalWhenEverTheyStarted() {
        java.util.List<Long> at = new java.util.ArrayList<>();
        scheduler.advance(Duration.ofMillis(3_700));
        GratuitousArpRepeater late = new GratuitousArpRepeater("vip late", scheduler, scheduler.clock(), () -> true,
                () -> at.add(scheduler.clock().millis() % 100_000));
        late.schedule(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(20));

        assertThat(at).containsExactly(10_000L, 20_000L);
    }

    @Test
    void theSameIntervalAgainKeepsThePhase() {
        repeater.schedule(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(5));
        repeater.schedule(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(sent).hasValue(1);
    }

    @Test
    void zeroStopsRepeatingAndCancelIsForGood() {
        repeater.schedule(Duration.ofSeconds(1));
        repeater.schedule(Duration.ZERO);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(sent).hasValue(0);

        repeater.cancel();
        repeater.schedule(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(sent).hasValue(0);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aFailedSendIsLoggedAndTheNextPeriodTriesAgain() {
        AtomicInteger attempts = new AtomicInteger();
        GratuitousArpRepeater failing = new GratuitousArpRepeater("vip web", scheduler, scheduler.clock(), () -> true, () -> {
            attempts.incrementAndGet();
            throw new IOException("arping: not found");
        });
        failing.schedule(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(attempts).hasValue(3);
    }
}
