package io.carpoperator.agent;

import io.carpoperator.dataplane.VipReport;
import io.carpoperator.api.NodeReport;
import io.carpoperator.api.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Writes this node's NodeReport (named after the node) with every VIP's entry in it, and nothing else: one write per
 * node per refresh whatever the number of VIPs, plus one when a state changes. Callers (the data plane) only hand over
 * the latest report and return at once; one writer thread coalesces them into the node's latest snapshot, retries
 * failures with back-off and refreshes the report even when nothing changes. With the API server unreachable only the
 * latest snapshot waits, and it is written when the server is back.
 */
public final class NodeStatusReporter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeStatusReporter.class);
    /**
     * A write is at most two requests without retries, each bounded by the client's connect and request timeouts (10 s
     * each by default), so one in flight for longer is not waiting on an unreachable API server: its thread is hung.
     */
    public static final Duration WRITE_HANG_LIMIT = Duration.ofSeconds(60);

    /**
     * Writes the node's report: the whole report ({@code replace}: the first write after start, which also drops entries
     * a previous run of this agent left behind), else a JSON merge patch of it.
     */
    @FunctionalInterface
    public interface StatusPatcher {
        void write(String node, String mergePatch, NodeReport whole, boolean replace) throws Exception;
    }

    private final String node;
    private final String heartbeatAddress;
    private final StatusPatcher patcher;
    private final ScheduledExecutorService writer;
    private final Clock clock;
    private final StatusCoalescer<String, Map<String, VipReport>> pending;
    /** The latest report per VIP; guarded by itself. */
    private final Map<String, VipReport> latest = new TreeMap<>();
    /** The VIPs of the last written report (one missing from the next is written as null); null before the first write. */
    private volatile Set<String> written;
    private final LongAdder writeFailures = new LongAdder();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AutoCloseable owned;
    /** When the write in flight started; null between writes. */
    private volatile Instant writeStartedAt;
    /** Touched on the writer thread only. */
    private ScheduledFuture<?> wakeup;
    private boolean failing;
    private int failuresInARow;

    public NodeStatusReporter(String node, String heartbeatAddress, StatusPatcher patcher, ScheduledExecutorService writer,
            Clock clock, Duration refreshInterval) {
        this(node, heartbeatAddress, patcher, writer, clock, refreshInterval, null);
    }

    private NodeStatusReporter(String node, String heartbeatAddress, StatusPatcher patcher, ScheduledExecutorService writer,
            Clock clock, Duration refreshInterval, AutoCloseable owned) {
        this.node = node;
        this.heartbeatAddress = heartbeatAddress;
        this.patcher = patcher;
        this.writer = writer;
        this.clock = clock;
        this.owned = owned;
        this.pending = new StatusCoalescer<>(clock, refreshInterval, StatusCoalescer.DEFAULT_FIRST_RETRY,
                StatusCoalescer.DEFAULT_MAX_RETRY, NodeStatusReporter::sameSnapshot);
    }

    /** A reporter with its own writer thread, writing through {@code client}. */
    public static NodeStatusReporter forCluster(KubernetesClient client, AgentSettings settings) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "carp-status-writer");
            t.setDaemon(true);
            return t;
        });
        return new NodeStatusReporter(settings.nodeName(), settings.nodeIp(), patcher(client), thread, Clock.systemUTC(),
                settings.refreshInterval(), thread::shutdownNow);
    }

    /**
     * Writes through {@code client} but without its request retries: the reporter retries itself, and a write must fail
     * fast rather than hold back for the client's whole retry schedule (about 100 s by default). A merge patch first;
     * when the report does not exist yet (404), it is created whole.
     */
    public static StatusPatcher patcher(KubernetesClient client) {
        NamespacedKubernetesClient namespaced = client.adapt(NamespacedKubernetesClient.class);
        RequestConfig noRetries = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build();
        return (node, patch, whole, replace) -> namespaced.withRequestConfig(noRetries).call(c -> {
            if (replace) {
                c.resources(NodeReport.class).resource(whole).createOr(existing -> existing.update());
                return null;
            }
            // patching a named resource without an item would GET it first; a bare item spares that request
            NodeReport target = new NodeReport();
            target.getMetadata().setName(node);
            try {
                c.resources(NodeReport.class).resource(target).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                c.resources(NodeReport.class).resource(whole).create(); // deleted meanwhile
            }
            return null;
        });
    }

    /** The latest report of a VIP's data plane; never blocks. */
    public void report(String vip, VipReport report) {
        synchronized (latest) {
            latest.put(vip, report);
            pending.offer(node, Map.copyOf(latest));
        }
        requestDrain();
    }

    /** Takes the VIP's entry out of our report (after its data plane stopped); never blocks. */
    public void remove(String vip) {
        synchronized (latest) {
            Set<String> lastWritten = written;
            if (latest.remove(vip) == null && (lastWritten == null || !lastWritten.contains(vip))) {
                return;
            }
            pending.offer(node, Map.copyOf(latest));
        }
        requestDrain();
    }

    public long writeFailures() {
        return writeFailures.sum();
    }

    /** The failed-write counter, for a metric. */
    public LongAdder writeFailureCounter() {
        return writeFailures;
    }

    /** Our report holds (or is about to hold) an entry for the VIP. */
    public boolean reports(String vip) {
        synchronized (latest) {
            Set<String> lastWritten = written;
            return latest.containsKey(vip) || lastWritten != null && lastWritten.contains(vip);
        }
    }

    /**
     * Why the writer looks hung: a write in flight for longer than {@code limit}. Failed writes do not count: with the API
     * server unreachable writes fail fast and are retried, and the data plane never waits on them.
     */
    public Optional<String> hungWrite(Duration limit) {
        Instant started = writeStartedAt;
        if (started == null) {
            return Optional.empty();
        }
        Duration inFlight = Duration.between(started, clock.instant());
        if (inFlight.compareTo(limit) <= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("status writer: a write of NodeReport %s has been in flight for %d s (limit %d s);"
                + " its thread is hung", node, inFlight.toSeconds(), limit.toSeconds()));
    }

    public boolean hasUnwritten() {
        return pending.hasUnwritten();
    }

    /** One last attempt at everything not yet written, back-off or not; waits at most {@code timeout}. */
    public boolean flush(Duration timeout) {
        Future<?> flushed;
        try {
            flushed = writer.submit(() -> {
                for (var write : pending.unwritten()) {
                    write(write);
                }
            });
        } catch (RejectedExecutionException e) {
            return !pending.hasUnwritten();
        }
        try {
            flushed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("node %s: status reports not flushed within %d ms; the operator will see our entries go stale",
                    node, timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warnf("node %s: flushing status reports failed: %s", node, e.getCause());
        }
        return !pending.hasUnwritten();
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.debugf("closing the status writer: %s", e);
            }
        }
    }

    private void requestDrain() {
        if (drainQueued.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainQueued.set(false);
            }
        }
    }

    private void drain() {
        drainQueued.set(false);
        for (var write : pending.due()) {
            write(write);
        }
        if (wakeup != null) {
            wakeup.cancel(false);
            wakeup = null;
        }
        pending.nextDue().ifPresent(at -> {
            long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
            try {
                wakeup = writer.schedule(this::drain, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        });
    }

    private void write(StatusCoalescer.Write<String, Map<String, VipReport>> write) {
        Instant now = clock.instant();
        writeStartedAt = now;
        try {
            attempt(write, now);
        } finally {
            writeStartedAt = null;
        }
    }

    private void attempt(StatusCoalescer.Write<String, Map<String, VipReport>> write, Instant now) {
        Map<String, NodeStatus> entries = new TreeMap<>();
        write.value().forEach((vip, report) -> entries.put(vip, NodeStatusPatch.toNodeStatus(report, heartbeatAddress, now)));
        try {
            Set<String> lastWritten = written;
            patcher.write(node, NodeStatusPatch.report(entries, lastWritten == null ? Set.of() : lastWritten, now),
                    NodeStatusPatch.whole(node, entries, now), lastWritten == null);
            pending.succeeded(write);
            written = Set.copyOf(entries.keySet());
            if (failing) {
                LOG.infof("node %s: writing its NodeReport works again after %d failed attempts", node, failuresInARow);
            }
            failing = false;
            failuresInARow = 0;
        } catch (Exception e) {
            writeFailures.increment();
            pending.failed(write);
            failuresInARow++;
            if (!failing) {
                LOG.warnf("node %s: cannot write its NodeReport (%s); keeping the latest report and retrying with back-off up"
                        + " to %ds, the data plane is not affected", node, oneLine(e), StatusCoalescer.DEFAULT_MAX_RETRY.toSeconds());
            }
            failing = true;
        }
    }

    /** Two snapshots that differ only in what the next refresh may carry (round-trip times): no write at once. */
    static boolean sameSnapshot(Map<String, VipReport> a, Map<String, VipReport> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream()
                .allMatch(entry -> NodeStatusPatch.sameContent(entry.getValue(), b.get(entry.getKey())));
    }

    /** The exception's message and its root cause's, e.g. "Operation: [patch] ... failed.: Connection refused". */
    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + ": " + root.getMessage();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
