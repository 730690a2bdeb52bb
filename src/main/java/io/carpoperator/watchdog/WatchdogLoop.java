package io.carpoperator.watchdog;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Drives one VIP's watchdog: every probe interval it gets a probe round over the current targets (from
 * {@link SharedProbeRounds}, which runs one round for all the VIPs probing the same targets), steps its own
 * {@link IsolationWatchdog}, logs each state transition in one line and hands round and step to the listener, which
 * carries out the action. A tick is skipped while the previous round is still running.
 */
public final class WatchdogLoop implements AutoCloseable {

    /** Receives every round; runs on the thread that completed the round, so keep it short. */
    @FunctionalInterface
    public interface Listener {
        void onRound(ProbeRound round, IsolationWatchdog.Step step);
    }

    private static final Logger LOG = Logger.getLogger(WatchdogLoop.class);

    private final String name;
    private volatile IsolationWatchdog watchdog;
    private final SharedProbeRounds rounds;
    private final Supplier<List<ProbeTarget>> targets;
    private final Listener listener;

    private WatchdogState state = WatchdogState.HEALTHY;
    private SharedProbeRounds.Subscription subscription;

    /**
     * A loop with rounds of its own (nothing shared).
     *
     * @param name      identifies the VIP in log lines, e.g. "vip 198.51.100.10 vhid 99"
     * @param targets   asked before every round, so targets may change at run time
     */
    public WatchdogLoop(String name, WatchdogSettings settings, Prober prober, Supplier<List<ProbeTarget>> targets,
                        ScheduledExecutorService scheduler, Clock clock, Listener listener) {
        this(name, settings, new SharedProbeRounds(prober, scheduler, clock), targets, listener);
    }

    /** A loop whose rounds are shared with the other loops of {@code rounds} that probe the same targets. */
    public WatchdogLoop(String name, WatchdogSettings settings, SharedProbeRounds rounds,
                        Supplier<List<ProbeTarget>> targets, Listener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.watchdog = new IsolationWatchdog(settings);
        this.rounds = Objects.requireNonNull(rounds, "rounds");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts probing: the first round runs at once, then once per probe interval on the interval's boundaries of the
     * wall clock, the first of them at least half an interval later (see {@link SharedProbeRounds}).
     */
    public synchronized void start() {
        if (subscription != null) {
            return;
        }
        WatchdogSettings s = watchdog.settings();
        subscription = rounds.subscribe(name, s.probeInterval(), s.probeDeadline(), targets, this::onRound);
    }

    /**
     * New limits, interval or deadline without losing what the watchdog has seen: the state (say SUSPECT(1)) carries
     * over and is judged against the new limits from the next round on. A new interval takes effect at its next
     * boundary on the wall clock.
     */
    public synchronized void retune(WatchdogSettings settings) {
        watchdog = new IsolationWatchdog(settings);
        if (subscription != null) {
            subscription.retime(settings.probeInterval(), settings.probeDeadline());
        }
    }

    public WatchdogSettings settings() {
        return watchdog.settings();
    }

    public synchronized WatchdogState state() {
        return state;
    }

    @Override
    public void close() {
        SharedProbeRounds.Subscription closing;
        synchronized (this) {
            closing = subscription;
            subscription = null;
        }
        if (closing != null) {
            closing.close();
        }
    }

    private void onRound(ProbeRound round) {
        IsolationWatchdog.Step step;
        synchronized (this) {
            if (subscription == null) {
                return;
            }
            WatchdogState previous = state;
            step = watchdog.next(previous, round);
            state = step.state();
            if (!previous.name().equals(step.state().name())) {
                LOG.infof("%s: %s -> %s: %s", name, previous.name(), step.state().name(), step.reason());
            } else if (step.state() instanceof WatchdogState.Suspect || step.state() instanceof WatchdogState.Recovering) {
                LOG.debugf("%s: %s: %s", name, step.state(), step.reason());
            }
        }
        try {
            listener.onRound(round, step);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: watchdog listener failed on action %s", name, step.action());
        }
    }
}
