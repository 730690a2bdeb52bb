package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Polls every node for the VIP ({@code ip addr} in its namespace) every {@link #PERIOD} on its own thread, so a run
 * knows when each node gained or lost the address; the polls also become the timeline's bands.
 */
final class HolderSampler implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(25);

    private final List<LabNode> nodes;
    private final String vip;
    private final List<Timeline.HolderSample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private HolderSampler(List<LabNode> nodes, String vip) {
        this.nodes = nodes;
        this.vip = vip;
        this.thread = new Thread(this::poll, "holder-sampler");
        this.thread.setDaemon(true);
    }

    static HolderSampler start(List<LabNode> nodes, String vip) {
        HolderSampler sampler = new HolderSampler(nodes, vip);
        sampler.thread.start();
        return sampler;
    }

    /** Every poll so far. */
    List<Timeline.HolderSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The time of the first poll at or after {@code after} in which node {@code index} (0-based) held the VIP or not. */
    Optional<Instant> first(int index, boolean holds, Instant after) {
        return samples().stream().filter(s -> !s.at().isBefore(after) && s.holds().get(index) == holds)
                .map(Timeline.HolderSample::at).findFirst();
    }

    /** Waits up to {@code within} for {@link #first} to exist. */
    Optional<Instant> await(int index, boolean holds, Instant after, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            Optional<Instant> found = first(index, holds, after);
            if (found.isPresent()) {
                return found;
            }
            DataPlaneBench.pause(PERIOD);
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
            long left = PERIOD.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                DataPlaneBench.pause(Duration.ofNanos(left));
            }
        }
    }
}
