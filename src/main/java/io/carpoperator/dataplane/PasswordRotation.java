package io.carpoperator.dataplane;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When one VIP's ucarp moves onto a new password: backups first, the master last after a bounded grace.
 *
 * <p>ucarp (1.5.2) accepts one password and only the master advertises, so the two sides of a rotation cannot hear
 * each other, and two nodes whose master-down timers run out within one advert period of each other both become
 * MASTER for up to a period (a new master's first advert comes one period after it claims the VIP). So the order is
 * strict: a node that is not master stands aside at once for {@link #backupHold} (its ucarp stopped, its passfile
 * already new), long enough for the master to wait out {@link #masterGrace}, restart onto the new password and claim
 * the VIP after its master-down timer, with a second to spare for its first advert; the backups then rejoin and hear
 * it. The master restarts without a handover: a helper on the new password would not be heard by old-password nodes
 * and vice versa. The VIP is without a master for about one master-down timer (about 3 s at advbase 1). A node that
 * rejoins and still hears old-password adverts (its master lagged by more than a few seconds) backs off for one advert
 * period at a time ({@link ForeignAdvertBackOff}) while in rotation, so it never competes with the old master.
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
     * How long a backup stays out: the master's grace, its master-down timer after its restart (3 x advbase) and one
     * advert period plus a second for its first advert.
     */
    static Duration backupHold(int advbase) {
        return masterGrace(advbase).plusSeconds(4L * advbase + 1);
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
