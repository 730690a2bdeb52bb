package io.carpoperator.watchdog;

import java.time.Duration;

/**
 * Tuning of one watchdog.
 *
 * @param holdLimit     consecutive ISOLATED verdicts before withdrawing (seed: 2)
 * @param recoverAfter  consecutive rounds reaching the VIP network before rejoining
 * @param probeInterval period between rounds
 * @param probeDeadline how long one probe may take; must be shorter than the interval
 */
public record WatchdogSettings(int holdLimit, int recoverAfter, Duration probeInterval, Duration probeDeadline) {

    public static final WatchdogSettings DEFAULTS =
            new WatchdogSettings(2, 2, Duration.ofMillis(1000), Duration.ofMillis(400));

    public WatchdogSettings {
        if (holdLimit < 1) {
            throw new IllegalArgumentException("holdLimit must be >= 1, got " + holdLimit);
        }
        if (recoverAfter < 1) {
            throw new IllegalArgumentException("recoverAfter must be >= 1, got " + recoverAfter);
        }
        if (probeInterval == null || probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval must be positive, got " + probeInterval);
        }
        if (probeDeadline == null || probeDeadline.isNegative() || probeDeadline.isZero()) {
            throw new IllegalArgumentException("probeDeadline must be positive, got " + probeDeadline);
        }
        if (probeDeadline.compareTo(probeInterval) >= 0) {
            throw new IllegalArgumentException("probeDeadline must be shorter than probeInterval ("
                    + probeInterval.toMillis() + "ms), got " + probeDeadline.toMillis() + "ms");
        }
    }
}
