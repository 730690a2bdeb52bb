package io.carpoperator.dataplane;

import io.carpoperator.watchdog.AlignedTicks;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * Repeats gratuitous ARP for one VIP while this node is master, so switches and neighbours that missed the takeover's
 * announcement learn the address's new home. ucarp itself announces once on takeover; a zero interval means only that.
 * The interval can change at run time ({@link #schedule}). Repeats fall on the wall clock's multiples of the interval
 * ({@link AlignedTicks}), the first at least half an interval away: every VIP of the node with the same interval
 * announces in the same moment, one wake-up of the node's wire helper for all of them.
 */
final class GratuitousArpRepeater {

    /** Sends one gratuitous ARP; a failure is logged and the next period tries again. */
    @FunctionalInterface
    interface Sender {
        void send() throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(GratuitousArpRepeater.class);

    private final String label;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final BooleanSupplier master;
    private final Sender sender;

    private ScheduledFuture<?> repeats;
    private Duration interval = Duration.ZERO;
    private boolean cancelled;

    GratuitousArpRepeater(String label, ScheduledExecutorService scheduler, Clock clock, BooleanSupplier master,
                          Sender sender) {
        this.label = Objects.requireNonNull(label, "label");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.master = Objects.requireNonNull(master, "master");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** Repeats every {@code newInterval} from now on (null, zero or negative: not at all); a no-op when unchanged. */
    synchronized void schedule(Duration newInterval) {
        Duration wanted = newInterval == null || newInterval.isNegative() ? Duration.ZERO : newInterval;
        if (cancelled || (wanted.equals(interval) && (repeats != null || wanted.isZero()))) {
            return;
        }
        stopRepeats();
        interval = wanted;
        if (!wanted.isZero()) {
            repeats = scheduler.scheduleAtFixedRate(this::repeat,
                    AlignedTicks.delayToNext(clock.millis(), wanted).toNanos(), wanted.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** For good: later {@link #schedule} calls do nothing. */
    synchronized void cancel() {
        cancelled = true;
        stopRepeats();
    }

    synchronized Duration interval() {
        return interval;
    }

    private void stopRepeats() {
        if (repeats != null) {
            repeats.cancel(false);
            repeats = null;
        }
    }

    private void repeat() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
        }
        if (!master.getAsBoolean()) {
            return;
        }
        try {
            sender.send();
        } catch (IOException e) {
            LOG.warnf("%s: gratuitous ARP failed: %s", label, e.getMessage());
        }
    }
}
