package io.carpoperator.watchdog;

import java.time.Duration;

/**
 * Periodic work of many VIPs on the wall clock's multiples of its period, so a hundred VIPs' probe rounds, gratuitous
 * ARPs or owner checks of the same period fall in the same moment: the scheduler's threads and the node's wire helper
 * wake once for all of them instead of a hundred times spread over the period.
 */
public final class AlignedTicks {

    private AlignedTicks() {
    }

    /**
     * How long from {@code nowMillis} until the next multiple of {@code period} on the wall clock, at least half a
     * period: whatever ran at the start (an immediate probe round, a takeover's announcement) is never followed a few
     * milliseconds later by the first regular tick.
     */
    public static Duration delayToNext(long nowMillis, Duration period) {
        long length = Math.max(1, period.toMillis());
        long delay = length - Math.floorMod(nowMillis, length);
        if (delay < length / 2) {
            delay += length;
        }
        return Duration.ofMillis(delay);
    }
}
