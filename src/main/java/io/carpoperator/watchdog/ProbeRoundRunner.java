package io.carpoperator.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fires all probes of a round in parallel and completes the round when every probe has answered or, at the
 * latest, at the deadline plus a small grace for process start-up; probes still missing then count as
 * failed with "timeout after …".
 */
public final class ProbeRoundRunner {

    /** Extra time a prober gets beyond its deadline, which it normally enforces itself, before the round closes. */
    public static final Duration GRACE = Duration.ofMillis(100);

    private final Prober prober;
    private final ScheduledExecutorService timer;
    private final Clock clock;

    public ProbeRoundRunner(Prober prober, ScheduledExecutorService timer, Clock clock) {
        this.prober = Objects.requireNonNull(prober, "prober");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public CompletableFuture<ProbeRound> run(List<ProbeTarget> targets, Duration deadline) {
        Instant at = clock.instant();
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(new ProbeRound(at, List.of()));
        }
        ProbeResult[] results = new ProbeResult[targets.size()];
        AtomicInteger pending = new AtomicInteger(targets.size());
        CompletableFuture<ProbeRound> round = new CompletableFuture<>();
        ScheduledFuture<?> closer = timer.schedule(
                () -> round.complete(snapshot(at, targets, results, deadline)),
                deadline.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
        for (int i = 0; i < targets.size(); i++) {
            int index = i;
            ProbeTarget target = targets.get(i);
            CompletableFuture<ProbeResult> probe;
            try {
                probe = prober.probe(target, deadline);
            } catch (RuntimeException e) {
                probe = CompletableFuture.completedFuture(ProbeResult.failed(target, "error: " + e.getMessage()));
            }
            probe.whenComplete((result, error) -> {
                synchronized (results) {
                    results[index] = error == null && result != null
                            ? result
                            : ProbeResult.failed(target, "error: " + (error == null ? "no result" : error.getMessage()));
                }
                if (pending.decrementAndGet() == 0) {
                    closer.cancel(false);
                    round.complete(snapshot(at, targets, results, deadline));
                }
            });
        }
        return round;
    }

    private static ProbeRound snapshot(Instant at, List<ProbeTarget> targets, ProbeResult[] results, Duration deadline) {
        List<ProbeResult> list = new ArrayList<>(targets.size());
        synchronized (results) {
            for (int i = 0; i < targets.size(); i++) {
                list.add(results[i] != null ? results[i] : ProbeResult.timedOut(targets.get(i), deadline));
            }
        }
        return new ProbeRound(at, list);
    }
}
