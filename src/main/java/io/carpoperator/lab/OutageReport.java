package io.carpoperator.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The replies a client saw, and the outages they reveal: the longest silence in a window is the outage. */
public final class OutageReport {

    /** A silence between two moments: two replies, or a reply and a window edge. */
    public record Gap(Instant start, Instant end) {

        public Duration duration() {
            return Duration.between(start, end);
        }
    }

    private final List<PingReply> replies;

    public OutageReport(List<PingReply> replies) {
        this.replies = replies.stream().sorted(Comparator.comparing(PingReply::at)).toList();
    }

    public List<PingReply> replies() {
        return replies;
    }

    public Optional<Instant> firstReply() {
        return replies.isEmpty() ? Optional.empty() : Optional.of(replies.get(0).at());
    }

    public Optional<Instant> lastReply() {
        return replies.isEmpty() ? Optional.empty() : Optional.of(replies.get(replies.size() - 1).at());
    }

    public long replyCount(Instant from, Instant to) {
        return replies.stream().filter(r -> inWindow(r, from, to)).count();
    }

    /**
     * The longest silence within [from, to]. Silence at either edge counts, so a VIP that never
     * came back is reported as one long outage, not as zero.
     */
    public Gap longestGap(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("window ends before it starts: " + from + " .. " + to);
        }
        Instant previous = from;
        Gap longest = new Gap(from, from);
        for (PingReply reply : replies) {
            if (!inWindow(reply, from, to)) {
                continue;
            }
            longest = longer(longest, new Gap(previous, reply.at()));
            previous = reply.at();
        }
        return longer(longest, new Gap(previous, to));
    }

    /**
     * The silences within [from, to] longer than {@code threshold} (edges count, as in {@link #longestGap}), added up:
     * the client's total outage over a window that may hold several failovers, e.g. a rolling update. The threshold keeps
     * the client's own sending interval and a lost echo out of the sum.
     */
    public Duration totalSilence(Instant from, Instant to, Duration threshold) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("window ends before it starts: " + from + " .. " + to);
        }
        Duration total = Duration.ZERO;
        Instant previous = from;
        for (PingReply reply : replies) {
            if (!inWindow(reply, from, to)) {
                continue;
            }
            total = total.plus(silence(previous, reply.at(), threshold));
            previous = reply.at();
        }
        return total.plus(silence(previous, to, threshold));
    }

    private static Duration silence(Instant start, Instant end, Duration threshold) {
        Duration gap = Duration.between(start, end);
        return gap.compareTo(threshold) > 0 ? gap : Duration.ZERO;
    }

    private static Gap longer(Gap a, Gap b) {
        return b.duration().compareTo(a.duration()) > 0 ? b : a;
    }

    private static boolean inWindow(PingReply reply, Instant from, Instant to) {
        return !reply.at().isBefore(from) && !reply.at().isAfter(to);
    }
}
