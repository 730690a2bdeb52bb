package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.carpoperator.testing.ManualScheduler;

class UcarpSupervisorTest {

    private static final String REMOVE_VIP = "ip addr del 198.51.100.10/24 dev eth0";
    private static final String DOWN_HOOK = "/run/down eth0 198.51.100.10 24";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingCommandRunner ip = new RecordingCommandRunner();
    private final List<FakeUcarp> launched = new ArrayList<>();
    private final List<Duration> crashes = new ArrayList<>();
    private boolean launchFails;

    private final UcarpConfig config = UcarpConfig.withPrefixAsXparam("eth0", "198.51.100.11", 99, Path.of("/run/p"),
            "198.51.100.10", 24, 1, 0, false, false, Path.of("/run/up"), Path.of("/run/down"));
    private final UcarpSupervisor supervisor = new UcarpSupervisor(config, UcarpCommandLine.of(config),
            (label, argv, listener) -> {
                if (launchFails) {
                    throw new IOException("Cannot run program \"ucarp\": error=2, No such file or directory");
                }
                FakeUcarp ucarp = new FakeUcarp(listener);
                launched.add(ucarp);
                return ucarp;
            },
            new AddressControl(ip), scheduler, scheduler.clock(), new UcarpSupervisor.Listener() {
                @Override
                public void onEvent(UcarpEvent event) {
                }

                @Override
                public void onCrash(int exitCode, Duration restartIn) {
                    crashes.add(restartIn);
                }
            });

    /** A ucarp whose output and exit the test dictates. */
    private static final class FakeUcarp implements UcarpInstance {
        final UcarpInstance.Listener listener;
        UcarpState state = UcarpState.INIT;
        boolean alive = true;
        boolean demoted;
        boolean stopped;

        FakeUcarp(UcarpInstance.Listener listener) {
            this.listener = listener;
        }

        void switchTo(UcarpState next) {
            state = next;
            listener.onEvent(new UcarpEvent.StateChanged(next));
        }

        void exit(int code) {
            alive = false;
            state = UcarpState.INIT;
            listener.onGone(code);
            listener.onExit(code);
        }

        @Override
        public long pid() {
            return 4242;
        }

        @Override
        public UcarpState state() {
            return state;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void demote() {
            demoted = true;
        }

        @Override
        public boolean stop(Duration grace) {
            stopped = true;
            exit(0);
            return true;
        }

        @Override
        public void kill() {
            exit(137);
        }
    }

    private FakeUcarp last() {
        return launched.get(launched.size() - 1);
    }

    /** Lets the current ucarp crash right away and returns the delay before it was started again. */
    private Duration crashAndMeasureRestart() {
        int before = launched.size();
        last().exit(1);
        Duration delay = scheduler.pendingDelays().get(0);
        scheduler.advance(delay);
        assertThat(launched).hasSize(before + 1);
        return delay;
    }

    @Test
    void startsUcarpOnce() {
        supervisor.start();
        supervisor.start();

        assertThat(launched).hasSize(1);
        assertThat(supervisor.isRunning()).isTrue();
        assertThat(supervisor.restarts()).isZero();
    }

    @Test
    void restartsACrashedUcarpWithBackOffDoublingFromHalfASecondToThirtySeconds() {
        supervisor.start();
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(crashAndMeasureRestart());
        }

        assertThat(delays).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(supervisor.restarts()).isEqualTo(9);
        assertThat(crashes).isEqualTo(delays);
    }

    @Test
    void doesNotRestartBeforeTheBackOffHasPassed() {
        supervisor.start();
        last().exit(1);
        scheduler.advance(Duration.ofMillis(499));

        assertThat(launched).hasSize(1);
        assertThat(supervisor.isRunning()).isFalse();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(launched).hasSize(2);
    }

    @Test
    void resetsTheBackOffAfterUcarpHasRunForAMinute() {
        supervisor.start();
        crashAndMeasureRestart();
        crashAndMeasureRestart();
        crashAndMeasureRestart();

        scheduler.advance(Duration.ofSeconds(60));

        assertThat(crashAndMeasureRestart()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aMasterThatDiesGetsItsDownHookRunAndTheVipRemovedBecauseAKilledUcarpLeavesItConfigured() {
        supervisor.start();
        last().switchTo(UcarpState.MASTER);
        assertThat(ip.commands()).isEmpty();

        last().kill();

        assertThat(ip.commands()).containsExactly(DOWN_HOOK, REMOVE_VIP);
        assertThat(supervisor.state()).isEqualTo(UcarpState.INIT);
    }

    @Test
    void aBackupThatDiesOnlyHasTheVipRemovedJustInCase() {
        supervisor.start();
        last().switchTo(UcarpState.BACKUP);
        ip.commands.clear();

        last().exit(1);

        assertThat(ip.commands()).containsExactly(REMOVE_VIP);
    }

    @Test
    void removesTheVipOnEverySwitchToBackupButNeverWhileMaster() {
        supervisor.start();
        last().switchTo(UcarpState.BACKUP);
        last().switchTo(UcarpState.MASTER);
        last().switchTo(UcarpState.BACKUP);

        assertThat(ip.commands()).containsExactly(REMOVE_VIP, REMOVE_VIP);
    }

    @Test
    void stopTerminatesUcarpRemovesTheVipAndDoesNotRestart() {
        supervisor.start();
        last().switchTo(UcarpState.MASTER);

        supervisor.stop();
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(last().stopped).isTrue();
        assertThat(launched).hasSize(1);
        assertThat(ip.commands()).as("SIGKILL ends it, so the supervisor runs the master's down hook as ucarp would have")
                .containsExactly(DOWN_HOOK, REMOVE_VIP);
        assertThat(supervisor.isRunning()).isFalse();
    }

    @Test
    void stopCancelsAPendingRestart() {
        supervisor.start();
        last().exit(1);

        supervisor.stop();
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(launched).hasSize(1);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void startAfterStopRunsUcarpAgainWithAFreshBackOff() {
        supervisor.start();
        crashAndMeasureRestart();
        crashAndMeasureRestart();
        supervisor.stop();

        supervisor.start();

        assertThat(launched).hasSize(4);
        assertThat(crashAndMeasureRestart()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aUcarpThatCannotBeStartedIsRetriedWithBackOff() {
        launchFails = true;
        supervisor.start();
        scheduler.advance(Duration.ofMillis(500));
        scheduler.advance(Duration.ofSeconds(1));
        launchFails = false;
        scheduler.advance(Duration.ofSeconds(2));

        assertThat(launched).hasSize(1);
        assertThat(supervisor.restarts()).isEqualTo(3);
        assertThat(crashes).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void eventsFromAStoppedUcarpAreIgnored() {
        supervisor.start();
        FakeUcarp old = launched.get(0);
        supervisor.stop();
        supervisor.start();
        ip.commands.clear();

        old.switchTo(UcarpState.BACKUP);
        old.exit(1);

        assertThat(ip.commands()).isEmpty();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void demoteSignalsTheRunningUcarp() throws IOException {
        supervisor.start();

        supervisor.demote();

        assertThat(last().demoted).isTrue();
    }
}
