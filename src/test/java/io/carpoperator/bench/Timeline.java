package io.carpoperator.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one run looked like, for {@link SvgTimeline}: the client's replies, which nodes held the VIP at each poll, and
 * the faults. Times are drawn in seconds from {@code origin} (the fault); only [from, to] is drawn.
 */
record Timeline(String title, Instant origin, Instant from, Instant to, List<Instant> replies, List<String> nodeNames,
                List<HolderSample> holders, List<Marker> markers) {

    /** One poll: {@code holds.get(i)} is true when node i+1 had the VIP configured. */
    record HolderSample(Instant at, List<Boolean> holds) {
    }

    /** A fault or its end, drawn as a vertical line. */
    record Marker(Instant at, String label) {
    }

    double secondsFromOrigin(Instant at) {
        return Duration.between(origin, at).toNanos() / 1e9;
    }
}
