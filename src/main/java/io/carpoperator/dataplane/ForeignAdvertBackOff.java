package io.carpoperator.dataplane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Not competing with another node whose adverts for our vhid fail authentication ("Bad digest": another password or
 * virtual address). ucarp cannot check such adverts, so a BACKUP that hears them would let its master-down timer expire
 * and become a second MASTER; instead ucarp is stopped for a while and tried again.
 *
 * <p>Normally the while is {@link #NORMAL} (someone else really uses the vhid; do not flap). During a password rotation
 * the other side is our own old master, about to switch: then the back-off is one advert period, so this node rejoins
 * within about a second of the old-password adverts stopping, and a restarted BACKUP always hears the next old advert
 * (every advbase) before its master-down timer (3 x advbase) could make it MASTER.
 */
final class ForeignAdvertBackOff implements Participation.BackOff {

    /** Outside a rotation: someone else uses this vhid; try again this much later. */
    static final Duration NORMAL = Duration.ofSeconds(30);

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration rotationBackOff;
    private final Runnable onRetry;

    private String reason;
    private boolean duringRotation;
    private ScheduledFuture<?> retry;
    private Instant rotationUntil = Instant.MIN;

    /**
     * @param advbase the advert period in seconds: the back-off during a rotation
     * @param onRetry runs on the scheduler when a back-off ends, after {@link #reason()} went back to null
     */
    ForeignAdvertBackOff(ScheduledExecutorService scheduler, Clock clock, int advbase, Runnable onRetry) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rotationBackOff = rotationBackOff(advbase);
        this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
    }

    static Duration rotationBackOff(int advbase) {
        return Duration.ofSeconds(Math.max(1, advbase));
    }

    @Override
    public synchronized String reason() {
        return reason;
    }

    @Override
    public synchronized boolean fromForeignNode() {
        return reason != null && !duringRotation;
    }

    @Override
    public synchronized boolean inRotation() {
        return clock.instant().isBefore(rotationUntil);
    }

    /** How long a back-off that starts now lasts. */
    synchronized Duration length() {
        return inRotation() ? rotationBackOff : NORMAL;
    }

    /** Starts backing off and returns the reason, or null when already backing off. */
    synchronized String begin(int vhid, String advert) {
        if (reason != null) {
            return null;
        }
        Duration length = length();
        duringRotation = inRotation();
        reason = (duringRotation ? "password rotation: adverts for vhid " + vhid + " still use the other password, "
                : "another node advertises vhid " + vhid + " with a different password or virtual address, ")
                + "not competing with it (retrying in " + describe(length) + "): " + advert;
        scheduleRetry(length);
        return reason;
    }

    /**
     * A backup's part of a password rotation: not competing for {@code hold}, whatever it hears, so that the master
     * can switch and claim the VIP on the new password first; then it rejoins (a rotation, not a failure).
     *
     * @return the reason, or null when already backing off (that back-off is made to last the hold)
     */
    synchronized String standAside(Duration hold, String why) {
        cancelRetry();
        duringRotation = true;
        String was = reason;
        reason = "password rotation: " + why + " (rejoining in " + describe(hold) + ")";
        scheduleRetry(hold);
        return was == null ? reason : null;
    }

    /**
     * From now until {@code window} has passed, back-offs are short; one already running that would end later than a
     * short one ends after a short one from now.
     */
    synchronized void enterRotation(Duration window) {
        rotationUntil = clock.instant().plus(window);
        if (retry != null && retry.getDelay(TimeUnit.NANOSECONDS) > rotationBackOff.toNanos()) {
            retry.cancel(false);
            scheduleRetry(rotationBackOff);
        }
    }

    /** Forgets the back-off at once (e.g. the password changed, so the old verdict no longer holds). */
    synchronized boolean clear() {
        cancelRetry();
        boolean was = reason != null;
        reason = null;
        return was;
    }

    /** For good: stopping. */
    synchronized void cancel() {
        cancelRetry();
    }

    private void scheduleRetry(Duration after) {
        retry = scheduler.schedule(this::retry, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void retry() {
        synchronized (this) {
            if (retry == null || reason == null) {
                return;
            }
            retry = null;
            reason = null;
        }
        onRetry.run();
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private static String describe(Duration length) {
        return length.toMillis() % 1000 == 0 ? length.toSeconds() + "s" : length.toMillis() + "ms";
    }
}
