package io.carpoperator.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Questions about a run's holder polls, without the lab. A poll is stamped after it ran, so a change it shows happened
 * between the previous poll's stamp and its own: every time found here is late by at most one poll interval (see
 * {@link #longestInterval}).
 */
record HolderSeries(List<Timeline.HolderSample> samples) {

    HolderSeries {
        samples = List.copyOf(samples);
    }

    /** The first poll at or after {@code after} in which node {@code index} (0-based) held the VIP or not. */
    Optional<Instant> first(int index, boolean holds, Instant after) {
        return samples.stream().filter(s -> !s.at().isBefore(after) && s.holds().get(index) == holds)
                .map(Timeline.HolderSample::at).findFirst();
    }

    /** The first poll at or after {@code after} in which anything but node {@code index} alone held the VIP. */
    Optional<Instant> firstNotSoleHolder(int index, Instant after) {
        return samples.stream().filter(s -> !s.at().isBefore(after) && !(holders(s) == 1 && s.holds().get(index)))
                .map(Timeline.HolderSample::at).findFirst();
    }

    /** The first poll at or after {@code after} in which exactly one node held the VIP. */
    Optional<Instant> firstSingleHolder(Instant after) {
        return samples.stream().filter(s -> !s.at().isBefore(after) && holders(s) == 1)
                .map(Timeline.HolderSample::at).findFirst();
    }

    /**
     * The longest stretch of polls in [from, to] in which two or more nodes held the VIP, from its first such poll to
     * the first poll after it that showed fewer, or to the window's last poll when the stretch reaches it; zero when
     * there was none. A stretch seen in one poll counts one poll interval.
     */
    Duration longestMultipleHolders(Instant from, Instant to) {
        List<Timeline.HolderSample> window = window(from, to);
        Duration longest = Duration.ZERO;
        Instant start = null;
        for (Timeline.HolderSample sample : window) {
            boolean multiple = holders(sample) >= 2;
            if (multiple && start == null) {
                start = sample.at();
            } else if (!multiple && start != null) {
                longest = longer(longest, Duration.between(start, sample.at()));
                start = null;
            }
        }
        if (start != null) {
            longest = longer(longest, Duration.between(start, window.get(window.size() - 1).at()));
        }
        return longest;
    }

    /** True when the last poll in [from, to] showed two or more holders. */
    boolean endsWithMultipleHolders(Instant from, Instant to) {
        List<Timeline.HolderSample> window = window(from, to);
        return !window.isEmpty() && holders(window.get(window.size() - 1)) >= 2;
    }

    /** The longest time between two consecutive polls in [from, to]: the resolution the figures of that window have. */
    Duration longestInterval(Instant from, Instant to) {
        List<Timeline.HolderSample> window = window(from, to);
        Duration longest = Duration.ZERO;
        for (int i = 1; i < window.size(); i++) {
            longest = longer(longest, Duration.between(window.get(i - 1).at(), window.get(i).at()));
        }
        return longest;
    }

    private List<Timeline.HolderSample> window(Instant from, Instant to) {
        return samples.stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to)).toList();
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static long holders(Timeline.HolderSample sample) {
        return sample.holds().stream().filter(Boolean::booleanValue).count();
    }
}
