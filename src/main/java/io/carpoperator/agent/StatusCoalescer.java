package io.carpoperator.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * What still has to be written, per key: only the latest value counts (latest wins), a failed write is retried with
 * exponential back-off, and a written value is written again every refresh interval so readers can tell a live writer
 * from a dead one. Pure bookkeeping with an injected clock; the caller does the writing, from one thread.
 *
 * @param <K> what is written to (a VIP's name)
 * @param <V> the value (a report); a removal is a value of its own
 */
public final class StatusCoalescer<K, V> {
    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_RETRY = Duration.ofSeconds(10);

    /** One write to do: {@code value} is null for a removal. */
    public record Write<K, V>(K key, V value, long sequence) {
        public boolean removal() {
            return value == null;
        }
    }

    private final Clock clock;
    private final Duration refreshInterval;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final BiPredicate<V, V> sameContent;
    private final Map<K, Slot<V>> slots = new HashMap<>();
    private long sequence;

    private static final class Slot<V> {
        V value;
        long sequence;
        long writtenSequence = -1;
        Instant lastWritten;
        int failures;
        Instant notBefore = Instant.MIN;

        boolean dirty() {
            return sequence != writtenSequence;
        }
    }

    /**
     * @param sameContent true when a new value need not be written at once because it differs from the written one only
     *                    in what the next refresh may carry (e.g. a round-trip time)
     */
    public StatusCoalescer(Clock clock, Duration refreshInterval, Duration firstRetry, Duration maxRetry, BiPredicate<V, V> sameContent) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshInterval = refreshInterval;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.sameContent = sameContent;
    }

    /** The latest value for the key; replaces any value not yet written. */
    public synchronized void offer(K key, V value) {
        Objects.requireNonNull(value, "value");
        Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>());
        boolean carriedByRefresh = !slot.dirty() && slot.value != null && sameContent.test(slot.value, value);
        slot.value = value;
        slot.sequence = ++sequence;
        if (carriedByRefresh) {
            slot.writtenSequence = slot.sequence;
        }
    }

    /** The key's entry is to be removed; after that removal is written the key is forgotten. */
    public synchronized void offerRemoval(K key) {
        Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>());
        slot.value = null;
        slot.sequence = ++sequence;
    }

    /** What is due now: unwritten values past their back-off, and written ones due for a refresh. */
    public synchronized List<Write<K, V>> due() {
        Instant now = clock.instant();
        List<Write<K, V>> due = new ArrayList<>();
        slots.forEach((key, slot) -> {
            Instant at = dueAt(slot);
            if (at != null && !at.isAfter(now)) {
                due.add(new Write<>(key, slot.value, slot.sequence));
            }
        });
        return due;
    }

    /** Everything not yet written, back-off or not: the last attempt before shutting down. */
    public synchronized List<Write<K, V>> unwritten() {
        List<Write<K, V>> unwritten = new ArrayList<>();
        slots.forEach((key, slot) -> {
            if (slot.dirty()) {
                unwritten.add(new Write<>(key, slot.value, slot.sequence));
            }
        });
        return unwritten;
    }

    public synchronized boolean hasUnwritten() {
        return slots.values().stream().anyMatch(Slot::dirty);
    }

    /** When the next write falls due, if any. */
    public synchronized Optional<Instant> nextDue() {
        return slots.values().stream().map(this::dueAt).filter(Objects::nonNull).min(Instant::compareTo);
    }

    public synchronized void succeeded(Write<K, V> write) {
        Slot<V> slot = slots.get(write.key());
        if (slot == null) {
            return;
        }
        slot.failures = 0;
        slot.notBefore = Instant.MIN;
        slot.lastWritten = clock.instant();
        slot.writtenSequence = Math.max(slot.writtenSequence, write.sequence());
        if (write.removal() && slot.sequence == write.sequence()) {
            slots.remove(write.key());
        }
    }

    public synchronized void failed(Write<K, V> write) {
        Slot<V> slot = slots.get(write.key());
        if (slot == null) {
            return;
        }
        slot.failures++;
        slot.notBefore = clock.instant().plus(backoff(slot.failures));
    }

    /** 200 ms, 400 ms, 800 ms ... up to 10 s by default. */
    public Duration backoff(int failures) {
        Duration delay = firstRetry;
        for (int i = 1; i < failures && delay.compareTo(maxRetry) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetry) > 0 ? maxRetry : delay;
    }

    private Instant dueAt(Slot<V> slot) {
        Instant at;
        if (slot.dirty()) {
            at = Instant.MIN;
        } else if (slot.value != null && slot.lastWritten != null) {
            at = slot.lastWritten.plus(refreshInterval);
        } else {
            return null;
        }
        return at.isAfter(slot.notBefore) ? at : slot.notBefore;
    }
}
