package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Polls every node for the VIP ({@code ip addr} in its namespace) every period on its own thread, so a run knows when
 * each node gained or lost the address; the polls also become the timeline's bands. A poll runs one {@code ip} per node
 * (a few milliseconds each), so the real interval is the period or the polls' own time, whichever is longer.
 */
final class HolderSampler implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(25);
    /** For figures measured against a limit of a few hundred milliseconds, e.g. the ucarp-crash release (0.2 s). */
    static final Duration FINE_PERIOD = Duration.ofMillis(20);

    private final List<LabNode> nodes;
    private final Duration period;
    private final String vip;
    private final List<Timeline.HolderSample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private HolderSampler(List<LabNode> nodes, String vip, Duration period) {
        this.nodes = nodes;
        this.period = period;
        this.vip = vip;
        this.thread = new Thread(this::poll, "holder-sampler");
        this.thread.setDaemon(true);
    }

    static HolderSampler start(List<LabNode> nodes, String vip, Duration period) {
        HolderSampler sampler = new HolderSampler(nodes, vip, period);
        sampler.thread.start();
        return sampler;
    }

    /** Every poll so far. */
    List<Timeline.HolderSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Every poll so far, to ask questions of. */
    HolderSeries series() {
        return new HolderSeries(samples());
    }

    /** The time of the first poll at or after {@code after} in which node {@code index} (0-based) held the VIP or not. */
    Optional<Instant> first(int index, boolean holds, Instant after) {
        return series().first(index, holds, after);
    }

    /** Waits up to {@code within} for {@link #first} to exist. */
    Optional<Instant> await(int index, boolean holds, Instant after, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            Optional<Instant> found = first(index, holds, after);
            if (found.isPresent()) {
                return found;
            }
            DataPlaneBench.pause(period);
        }
        return first(index, holds, after);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        while (running) {
            long started = System.nanoTime();
            List<Boolean> holds = new ArrayList<>();
            for (LabNode node : nodes) {
                holds.add(node.hasAddress(vip));
            }
            // stamped after the polls: a change is seen no earlier than it can have happened
            Timeline.HolderSample sample = new Timeline.HolderSample(Instant.now(), List.copyOf(holds));
            synchronized (samples) {
                samples.add(sample);
            }
            long left = period.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                DataPlaneBench.pause(Duration.ofNanos(left));
            }
        }
    }
}
