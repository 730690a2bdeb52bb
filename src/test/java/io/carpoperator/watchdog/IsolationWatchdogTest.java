package io.carpoperator.watchdog;

import static io.carpoperator.watchdog.IsolationWatchdog.Action.NONE;
import static io.carpoperator.watchdog.IsolationWatchdog.Action.REJOIN;
import static io.carpoperator.watchdog.IsolationWatchdog.Action.WITHDRAW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class IsolationWatchdogTest {

    private static IsolationWatchdog watchdog(int holdLimit, int recoverAfter) {
        return new IsolationWatchdog(new WatchdogSettings(holdLimit, recoverAfter, Duration.ofSeconds(1), Duration.ofMillis(400)));
    }

    /** Feeds rounds from HEALTHY and returns every step. */
    private static List<IsolationWatchdog.Step> run(IsolationWatchdog watchdog, ProbeRound... rounds) {
        List<IsolationWatchdog.Step> steps = new ArrayList<>();
        WatchdogState state = WatchdogState.HEALTHY;
        for (ProbeRound round : rounds) {
            IsolationWatchdog.Step step = watchdog.next(state, round);
            steps.add(step);
            state = step.state();
        }
        return steps;
    }

    private static List<String> states(List<IsolationWatchdog.Step> steps) {
        return steps.stream().map(s -> s.state().toString()).toList();
    }

    private static List<IsolationWatchdog.Action> actions(List<IsolationWatchdog.Step> steps) {
        return steps.stream().map(IsolationWatchdog.Step::action).toList();
    }

    @Test
    void staysHealthyWhileEverythingAnswers() {
        var steps = run(watchdog(2, 2), Rounds.allAnswer(), Rounds.allAnswer());

        assertThat(states(steps)).containsExactly("HEALTHY", "HEALTHY");
        assertThat(actions(steps)).containsOnly(NONE);
    }

    @Test
    void withdrawsVipAfterHoldLimitWhenPeerAndGatewayAreUnreachable() {
        var steps = run(watchdog(2, 2), Rounds.isolated(), Rounds.isolated());

        assertThat(states(steps)).containsExactly("SUSPECT(1)", "ISOLATED");
        assertThat(actions(steps)).containsExactly(NONE, WITHDRAW);
        assertThat(steps.get(1).reason()).isEqualTo("isolated 2/2: peer 198.51.100.12 unreachable, "
                + "isolation host 198.51.100.1 unreachable, heartbeat 203.0.113.12 ok");
    }

    @Test
    void withdrawsOnTheFirstIsolatedVerdictWhenHoldLimitIsOne() {
        var steps = run(watchdog(1, 2), Rounds.isolated());

        assertThat(states(steps)).containsExactly("ISOLATED");
        assertThat(actions(steps)).containsExactly(WITHDRAW);
    }

    @Test
    void healthyVerdictResetsTheHoldCount() {
        var steps = run(watchdog(3, 2), Rounds.isolated(), Rounds.isolated(), Rounds.allAnswer(),
                Rounds.isolated(), Rounds.isolated(), Rounds.isolated());

        assertThat(states(steps)).containsExactly("SUSPECT(1)", "SUSPECT(2)", "HEALTHY", "SUSPECT(1)", "SUSPECT(2)", "ISOLATED");
        assertThat(actions(steps)).containsExactly(NONE, NONE, NONE, NONE, NONE, WITHDRAW);
    }

    @Test
    void deadHeartbeatNeverCountsAsIsolation() {
        var steps = run(watchdog(1, 1), Rounds.round("fail", "fail", "fail"), Rounds.round("fail", "fail", "fail"));

        assertThat(states(steps)).containsExactly("HEALTHY", "HEALTHY");
    }

    @Test
    void rejoinsAfterRecoverAfterRoundsInWhichThePeerAnswers() {
        var steps = run(watchdog(1, 2), Rounds.isolated(), Rounds.round("ok", "ok", "fail"), Rounds.round("ok", "ok", "fail"));

        assertThat(states(steps)).containsExactly("ISOLATED", "RECOVERING(1)", "HEALTHY");
        assertThat(actions(steps)).containsExactly(WITHDRAW, NONE, REJOIN);
        assertThat(steps.get(2).reason()).startsWith("recovering 2/2: peer 198.51.100.12 ok");
    }

    @Test
    void rejoinsWhenOnlyTheGatewayRecoversBecauseThePeerDiedMeanwhile() {
        var steps = run(watchdog(1, 2), Rounds.isolated(), Rounds.round("fail", "fail", "ok"), Rounds.round("fail", "fail", "ok"));

        assertThat(states(steps)).containsExactly("ISOLATED", "RECOVERING(1)", "HEALTHY");
        assertThat(actions(steps)).containsExactly(WITHDRAW, NONE, REJOIN);
    }

    @Test
    void flappingDuringRecoveryGoesBackToIsolatedAndStartsCountingAgain() {
        var steps = run(watchdog(1, 2), Rounds.isolated(),
                Rounds.round("ok", "ok", "ok"), Rounds.isolated(),
                Rounds.round("ok", "ok", "ok"), Rounds.round("ok", "ok", "ok"));

        assertThat(states(steps)).containsExactly("ISOLATED", "RECOVERING(1)", "ISOLATED", "RECOVERING(1)", "HEALTHY");
        assertThat(actions(steps)).containsExactly(WITHDRAW, NONE, NONE, NONE, REJOIN);
        assertThat(steps.get(2).reason()).startsWith("still isolated: ");
    }

    @Test
    void deadHeartbeatAloneDoesNotEndIsolationButDoesNotProlongItEither() {
        var steps = run(watchdog(1, 1), Rounds.isolated(), Rounds.round("fail", "fail", "fail"), Rounds.round("fail", "fail", "ok"));

        assertThat(states(steps)).containsExactly("ISOLATED", "ISOLATED", "HEALTHY");
        assertThat(actions(steps)).containsExactly(WITHDRAW, NONE, REJOIN);
    }

    @Test
    void rejoinsAtOnceWhenRecoverAfterIsOne() {
        var steps = run(watchdog(1, 1), Rounds.isolated(), Rounds.allAnswer());

        assertThat(actions(steps)).containsExactly(WITHDRAW, REJOIN);
    }

    @Test
    void settingsRejectNonsenseWithTheFieldAndValue() {
        assertThatThrownBy(() -> new WatchdogSettings(0, 2, Duration.ofSeconds(1), Duration.ofMillis(400)))
                .hasMessage("holdLimit must be >= 1, got 0");
        assertThatThrownBy(() -> new WatchdogSettings(2, 0, Duration.ofSeconds(1), Duration.ofMillis(400)))
                .hasMessage("recoverAfter must be >= 1, got 0");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("probeDeadline must be shorter than probeInterval (1000ms), got 1000ms");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, Duration.ZERO, Duration.ofMillis(400)))
                .hasMessage("probeInterval must be positive, got PT0S");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, Duration.ofSeconds(-1), Duration.ofMillis(400)))
                .hasMessage("probeInterval must be positive, got PT-1S");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, null, Duration.ofMillis(400)))
                .hasMessage("probeInterval must be positive, got null");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessage("probeDeadline must be positive, got PT0S");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .hasMessage("probeDeadline must be positive, got PT-0.001S");
        assertThatThrownBy(() -> new WatchdogSettings(2, 2, Duration.ofSeconds(1), null))
                .hasMessage("probeDeadline must be positive, got null");
    }

    @Test
    void theLeastSettingsAreOneRoundEachAndADeadlineJustShorterThanTheInterval() {
        var least = new WatchdogSettings(1, 1, Duration.ofMillis(2), Duration.ofMillis(1));
        assertThat(least.holdLimit()).isEqualTo(1);
        assertThat(least.recoverAfter()).isEqualTo(1);
        assertThat(least.probeDeadline()).isEqualTo(Duration.ofMillis(1));
    }
}
