package io.carpoperator.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Drives one VIP's watchdog: every probe interval it runs a probe round over the current targets, steps
 * the {@link IsolationWatchdog}, logs each state transition in one line and hands round and step to the
 * listener, which carries out the action. A tick is skipped while the previous round is still running.
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
    private final ProbeRoundRunner roundRunner;
    private final Supplier<List<ProbeTarget>> targets;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Listener listener;

    private WatchdogState state = WatchdogState.HEALTHY;
    private boolean roundInFlight;
    private ScheduledFuture<?> ticks;

    /**
     * @param name      identifies the VIP in log lines, e.g. "vip 198.51.100.10 vhid 99"
     * @param targets   asked before every round, so targets may change at run time
     */
    public WatchdogLoop(String name, WatchdogSettings settings, Prober prober, Supplier<List<ProbeTarget>> targets,
                        ScheduledExecutorService scheduler, Clock clock, Listener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.watchdog = new IsolationWatchdog(settings);
        this.roundRunner = new ProbeRoundRunner(prober, scheduler, clock);
        this.targets = Objects.requireNonNull(targets, "targets");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts probing: the first round runs at once, then once per probe interval on the interval's boundaries of the
     * wall clock (see {@link #alignedDelay}).
     */
    public synchronized void start() {
        if (ticks != null) {
            return;
        }
        Duration interval = watchdog.settings().probeInterval();
        ticks = scheduler.scheduleAtFixedRate(this::tick, alignedDelay(clock.millis(), interval).toNanos(),
                interval.toNanos(), TimeUnit.NANOSECONDS);
        scheduler.execute(this::tick);
    }

    /**
     * How long from {@code nowMillis} until the next multiple of {@code interval} on the wall clock, at least half an
     * interval. Every VIP of a node with the same interval then probes at the same moments, so their identical probes
     * (the same gateway, the same peers) are sent once and shared ({@link Prober}s coalesce probes in flight); the half
     * interval keeps the first two rounds from counting as two failures within a few milliseconds.
     */
    static Duration alignedDelay(long nowMillis, Duration interval) {
        long period = Math.max(1, interval.toMillis());
        long delay = period - Math.floorMod(nowMillis, period);
        if (delay < period / 2) {
            delay += period;
        }
        return Duration.ofMillis(delay);
    }

    /**
     * New limits, interval or deadline without losing what the watchdog has seen: the state (say SUSPECT(1)) carries
     * over and is judged against the new limits from the next round on. A new interval counts from now.
     */
    public synchronized void retune(WatchdogSettings settings) {
        Duration oldInterval = watchdog.settings().probeInterval();
        watchdog = new IsolationWatchdog(settings);
        if (ticks != null && !oldInterval.equals(settings.probeInterval())) {
            ticks.cancel(false);
            ticks = scheduler.scheduleAtFixedRate(this::tick,
                    alignedDelay(clock.millis(), settings.probeInterval()).toNanos(),
                    settings.probeInterval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    public WatchdogSettings settings() {
        return watchdog.settings();
    }

    public synchronized WatchdogState state() {
        return state;
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    private void tick() {
        List<ProbeTarget> current;
        synchronized (this) {
            if (ticks == null || roundInFlight) {
                return;
            }
            roundInFlight = true;
        }
        try {
            current = List.copyOf(targets.get());
        } catch (RuntimeException e) {
            LOG.warnf("%s: cannot determine probe targets, skipping this round: %s", name, e.getMessage());
            synchronized (this) {
                roundInFlight = false;
            }
            return;
        }
        roundRunner.run(current, watchdog.settings().probeDeadline())
                .whenComplete((round, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "%s: probe round failed", name);
                        synchronized (this) {
                            roundInFlight = false;
                        }
                        return;
                    }
                    onRound(round);
                });
    }

    private void onRound(ProbeRound round) {
        IsolationWatchdog.Step step;
        synchronized (this) {
            roundInFlight = false;
            if (ticks == null) {
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
