package io.carpoperator.dataplane;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When one VIP's ucarp moves onto a new password: backups first, the master last after a bounded grace.
 *
 * <p>ucarp (1.5.2) accepts one password and only the master advertises. A BACKUP restarted onto the new password hears
 * the old master's adverts as "Bad digest" within one advert period, well before its master-down timer (3 x advbase)
 * runs out, and backs off for one advert period at a time while it is in rotation ({@link ForeignAdvertBackOff}), so it
 * never competes with the old master. The master waits {@link #masterGrace} (so every backup has switched) and then
 * restarts onto the new password without a handover: a helper on the new password would not be heard by old-password
 * nodes and vice versa. The VIP is then without a master for about one master-down timer (about 3 s at advbase 1),
 * after which the restarted nodes (the old master's timer started first) elect a master on the new password.
 */
final class PasswordRotation {

    /** How long after its restart a node backs off briefly from old-password adverts. */
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> pending;

    PasswordRotation(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A master waits this long: three advert periods (a backup's master-down timer) and a second for the agents. */
    static Duration masterGrace(int advbase) {
        return Duration.ofSeconds(3L * advbase + 1);
    }

    /**
     * Schedules {@code restart}: at once when not master, after {@link #masterGrace} when master. A rotation still
     * pending is replaced, its grace not extended beyond the one it started with.
     *
     * @return how long until the restart
     */
    synchronized Duration schedule(boolean master, int advbase, Runnable restart) {
        Duration delay = master ? masterGrace(advbase) : Duration.ZERO;
        if (pending != null) {
            long left = Math.max(0, pending.getDelay(TimeUnit.NANOSECONDS));
            pending.cancel(false);
            delay = Duration.ofNanos(Math.min(left, delay.toNanos()));
        }
        pending = scheduler.schedule(() -> {
            synchronized (this) {
                pending = null;
            }
            restart.run();
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return delay;
    }

    synchronized boolean isPending() {
        return pending != null;
    }

    synchronized void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
