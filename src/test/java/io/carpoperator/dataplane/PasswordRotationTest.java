package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PasswordRotationTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PasswordRotation rotation = new PasswordRotation(scheduler);
    private final AtomicInteger restarts = new AtomicInteger();

    @Test
    void aBackupRestartsAtOnce() {
        assertThat(rotation.schedule(false, 1, restarts::incrementAndGet)).isZero();
        scheduler.runDueTasks();
        assertThat(restarts).hasValue(1);
        assertThat(rotation.isPending()).isFalse();
    }

    @Test
    void aMasterWaitsABackupsMasterDownTimerAndASecondNeverLonger() {
        assertThat(rotation.schedule(true, 2, restarts::incrementAndGet)).isEqualTo(Duration.ofSeconds(7));
        scheduler.advance(Duration.ofMillis(6999));
        assertThat(restarts).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(restarts).hasValue(1);
    }

    @Test
    void anotherChangeDuringTheGraceKeepsTheFirstDeadlineAndRestartsOnce() {
        rotation.schedule(true, 1, restarts::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(rotation.schedule(true, 1, restarts::incrementAndGet)).isEqualTo(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(restarts).hasValue(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(restarts).hasValue(1);
    }

    @Test
    void cancelledRotationsDoNotRestart() {
        rotation.schedule(true, 1, restarts::incrementAndGet);
        rotation.cancel();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(restarts).hasValue(0);
    }
    @Test
    void aBackupStaysOutForTheMastersGraceItsMasterDownTimerAndOneAdvertPeriodPlusASecond() {
        assertThat(PasswordRotation.backupHold(1)).isEqualTo(Duration.ofSeconds(4 + 3 + 1 + 1));
        assertThat(PasswordRotation.backupHold(2)).isEqualTo(Duration.ofSeconds(7 + 6 + 2 + 1));
        assertThat(PasswordRotation.backupHold(3)).isEqualTo(Duration.ofSeconds(10 + 9 + 3 + 1));
    }
}
