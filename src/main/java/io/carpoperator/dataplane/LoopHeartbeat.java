package io.carpoperator.dataplane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Proof that the data-plane scheduler still runs tasks: a tick every {@link #PERIOD} on the scheduler that drives every
 * VIP's watchdog, ucarp restarts and actions. When all its threads hang (a command that never returns, a deadlock) or it
 * was shut down, the ticks stop and {@link #stall()} says so, for the liveness probe.
 */
public final class LoopHeartbeat {
    public static final Duration PERIOD = Duration.ofSeconds(5);
    /** Missed ticks tolerated: a busy pool may run one late, three in a row is no longer busy. */
    public static final int MISSED_TICKS_ALLOWED = 3;

    private final Clock clock;
    private final Duration limit;
    private volatile Instant lastTick;

    LoopHeartbeat(Clock clock, Duration period) {
        this.clock = clock;
        this.limit = period.multipliedBy(MISSED_TICKS_ALLOWED);
        this.lastTick = clock.instant();
    }

    /** Ticks on {@code scheduler} every {@link #PERIOD} from now on. */
    public static LoopHeartbeat start(ScheduledExecutorService scheduler, Clock clock) {
        return start(scheduler, clock, PERIOD);
    }

    static LoopHeartbeat start(ScheduledExecutorService scheduler, Clock clock, Duration period) {
        LoopHeartbeat heartbeat = new LoopHeartbeat(clock, period);
        scheduler.scheduleWithFixedDelay(heartbeat::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return heartbeat;
    }

    void tick() {
        lastTick = clock.instant();
    }

    /** Why the scheduler looks stuck, or empty while it ticks. */
    public Optional<String> stall() {
        Duration silent = Duration.between(lastTick, clock.instant());
        if (silent.compareTo(limit) <= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("data-plane scheduler: no heartbeat for %d s (limit %d s); its threads are stuck or it"
                + " stopped, so no VIP is supervised", silent.toSeconds(), limit.toSeconds()));
    }
}
