package io.carpoperator.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * One probe round per tick for every distinct set of targets, shared by all the watchdogs of a node that probe them.
 * A hundred VIPs on one interface with the same peers and gateway run one round a second, not a hundred: each
 * subscriber still judges the round with its own {@link IsolationWatchdog} (its own limits and state), only the
 * probing is shared.
 *
 * <p>Ticks fall on the wall clock's multiples of the interval (one ticker per interval, started by the first
 * subscriber). A new subscriber gets a round of its own at once; it joins the ticks from the first one at least half an
 * interval later, so its first two rounds never count as two failures a few milliseconds apart. A subscriber whose last
 * round is still running skips the tick.
 */
public final class SharedProbeRounds {

    /** A subscriber's handle: new timing, or gone. */
    public interface Subscription extends AutoCloseable {
        /** A new interval and deadline from the next tick of that interval on; no extra round. */
        void retime(Duration interval, Duration deadline);

        @Override
        void close();
    }

    private static final Logger LOG = Logger.getLogger(SharedProbeRounds.class);

    private final ProbeRoundRunner roundRunner;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    // guarded by this
    private final Map<Duration, Ticker> tickers = new LinkedHashMap<>();

    public SharedProbeRounds(Prober prober, ScheduledExecutorService scheduler, Clock clock) {
        this.roundRunner = new ProbeRoundRunner(prober, scheduler, clock);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts rounds for {@code name}: one at once, then one per tick of {@code interval}.
     *
     * @param targets asked before every tick, so targets may change at run time; subscribers with equal targets and
     *                deadline share a round
     * @param onRound gets every round of this subscriber, on the thread that completed it; keep it short
     */
    public Subscription subscribe(String name, Duration interval, Duration deadline,
                                  Supplier<List<ProbeTarget>> targets, Consumer<ProbeRound> onRound) {
        Subscriber subscriber = new Subscriber(name, deadline, targets, onRound);
        join(subscriber, interval);
        scheduler.execute(() -> run(List.of(subscriber), 0));
        return subscriber;
    }

    /** How many tickers run now (one per distinct interval); for tests. */
    public synchronized int tickers() {
        return tickers.size();
    }

    private synchronized void join(Subscriber subscriber, Duration interval) {
        Ticker ticker = tickers.get(interval);
        if (ticker == null) {
            Ticker created = new Ticker(interval);
            created.ticks = scheduler.scheduleAtFixedRate(() -> tick(created),
                    AlignedTicks.delayToNext(clock.millis(), interval).toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
            tickers.put(interval, created);
            ticker = created;
        }
        ticker.subscribers.add(subscriber);
        subscriber.ticker = ticker;
    }

    private synchronized void leave(Subscriber subscriber) {
        Ticker ticker = subscriber.ticker;
        if (ticker == null) {
            return;
        }
        subscriber.ticker = null;
        ticker.subscribers.remove(subscriber);
        if (ticker.subscribers.isEmpty()) {
            ticker.ticks.cancel(false);
            tickers.remove(ticker.interval);
        }
    }

    private void tick(Ticker ticker) {
        run(List.copyOf(ticker.subscribers), ticker.interval.toMillis() / 2);
    }

    /**
     * One round per distinct (targets, deadline) among those {@code subscribers} that are due (not closed, no round
     * running, their last round started at least {@code minimumGap} ms ago), each delivered to all who asked for it.
     */
    private void run(List<Subscriber> subscribers, long minimumGap) {
        Map<RoundKey, List<Subscriber>> rounds = new LinkedHashMap<>();
        long now = clock.millis();
        for (Subscriber subscriber : subscribers) {
            List<ProbeTarget> targets;
            try {
                targets = List.copyOf(subscriber.targets.get());
            } catch (RuntimeException e) {
                LOG.warnf("%s: cannot determine probe targets, skipping this round: %s", subscriber.name, e.getMessage());
                continue;
            }
            if (subscriber.claim(now, minimumGap)) {
                rounds.computeIfAbsent(new RoundKey(targets, subscriber.deadline), k -> new ArrayList<>()).add(subscriber);
            }
        }
        rounds.forEach((key, sharing) -> roundRunner.run(key.targets(), key.deadline()).whenComplete((round, error) -> {
            for (Subscriber subscriber : sharing) {
                subscriber.finished(round, error);
            }
        }));
    }

    private record RoundKey(List<ProbeTarget> targets, Duration deadline) {
    }

    private static final class Ticker {
        final Duration interval;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        ScheduledFuture<?> ticks;

        Ticker(Duration interval) {
            this.interval = interval;
        }
    }

    private final class Subscriber implements Subscription {
        final String name;
        final Supplier<List<ProbeTarget>> targets;
        final Consumer<ProbeRound> onRound;
        volatile Duration deadline;
        // guarded by SharedProbeRounds.this
        Ticker ticker;
        // guarded by this
        private boolean inFlight;
        private boolean closed;
        private long lastStartMillis = Long.MIN_VALUE;

        Subscriber(String name, Duration deadline, Supplier<List<ProbeTarget>> targets, Consumer<ProbeRound> onRound) {
            this.name = Objects.requireNonNull(name, "name");
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            this.targets = Objects.requireNonNull(targets, "targets");
            this.onRound = Objects.requireNonNull(onRound, "onRound");
        }

        /** Marks a round started for this subscriber if it is due: open, no round running, the gap since the last passed. */
        synchronized boolean claim(long nowMillis, long minimumGap) {
            if (closed || inFlight || (lastStartMillis != Long.MIN_VALUE && nowMillis - lastStartMillis < minimumGap)) {
                return false;
            }
            inFlight = true;
            lastStartMillis = nowMillis;
            return true;
        }

        void finished(ProbeRound round, Throwable error) {
            synchronized (this) {
                inFlight = false;
                if (closed) {
                    return;
                }
            }
            if (error != null) {
                LOG.errorf(error, "%s: probe round failed", name);
                return;
            }
            try {
                onRound.accept(round);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: probe round listener failed", name);
            }
        }

        @Override
        public void retime(Duration interval, Duration newDeadline) {
            deadline = Objects.requireNonNull(newDeadline, "deadline");
            synchronized (SharedProbeRounds.this) {
                if (closed() || (ticker != null && ticker.interval.equals(interval))) {
                    return;
                }
                leave(this);
                join(this, interval);
            }
        }

        private synchronized boolean closed() {
            return closed;
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            leave(this);
        }
    }
}
