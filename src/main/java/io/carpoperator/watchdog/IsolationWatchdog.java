package io.carpoperator.watchdog;

import java.util.Objects;

/**
 * The hold/recover state machine of one VIP's isolation watchdog. Pure: it takes the current state and a
 * probe round and returns the next state, the action the caller must carry out, and a one-line reason.
 *
 * <pre>
 * HEALTHY | SUSPECT(n) --ISOLATED verdict, n+1 &lt; holdLimit--&gt; SUSPECT(n+1)
 * HEALTHY | SUSPECT(n) --ISOLATED verdict, n+1 = holdLimit--&gt; ISOLATED          (WITHDRAW)
 * HEALTHY | SUSPECT(n) --HEALTHY verdict--------------------&gt; HEALTHY
 * ISOLATED | RECOVERING(n) --VIP network reached, n+1 &lt; recoverAfter--&gt; RECOVERING(n+1)
 * ISOLATED | RECOVERING(n) --VIP network reached, n+1 = recoverAfter--&gt; HEALTHY (REJOIN)
 * ISOLATED | RECOVERING(n) --VIP network not reached-----------------&gt; ISOLATED
 * </pre>
 */
public final class IsolationWatchdog {

    /** What the caller must do after a step. */
    public enum Action {
        NONE,
        /** Stop taking part in CARP and make sure the address is gone. */
        WITHDRAW,
        /** Take part in CARP again. */
        REJOIN
    }

    /** The result of one step. */
    public record Step(WatchdogState state, Action action, IsolationVerdict verdict, String reason) {
        public Step {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final WatchdogSettings settings;

    public IsolationWatchdog(WatchdogSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public WatchdogSettings settings() {
        return settings;
    }

    public Step next(WatchdogState current, ProbeRound round) {
        IsolationVerdict verdict = IsolationVerdict.judge(round);
        String probes = round.summary();
        if (current.participates()) {
            if (verdict == IsolationVerdict.HEALTHY) {
                return new Step(WatchdogState.HEALTHY, Action.NONE, verdict, "healthy: " + probes);
            }
            int isolatedRounds = current instanceof WatchdogState.Suspect s ? s.isolatedRounds() + 1 : 1;
            String reason = "isolated " + isolatedRounds + "/" + settings.holdLimit() + ": " + probes;
            if (isolatedRounds >= settings.holdLimit()) {
                return new Step(WatchdogState.ISOLATED, Action.WITHDRAW, verdict, reason);
            }
            return new Step(new WatchdogState.Suspect(isolatedRounds), Action.NONE, verdict, reason);
        }
        if (!IsolationVerdict.showsVipNetworkReachable(round)) {
            return new Step(WatchdogState.ISOLATED, Action.NONE, verdict, "still isolated: " + probes);
        }
        int reachableRounds = current instanceof WatchdogState.Recovering r ? r.reachableRounds() + 1 : 1;
        String reason = "recovering " + reachableRounds + "/" + settings.recoverAfter() + ": " + probes;
        if (reachableRounds >= settings.recoverAfter()) {
            return new Step(WatchdogState.HEALTHY, Action.REJOIN, verdict, reason);
        }
        return new Step(new WatchdogState.Recovering(reachableRounds), Action.NONE, verdict, reason);
    }
}
