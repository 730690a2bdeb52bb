package io.carpoperator.agent;

import io.carpoperator.api.VirtualIP;
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
 * Writes this node's entry, status.nodes.&lt;node&gt;, of each VirtualIP with a JSON merge patch, and nothing else.
 * Callers (the data plane) only hand over the latest report and return at once; one writer thread coalesces them
 * per VIP, retries failures with back-off and refreshes lastUpdate even when nothing changes. With the API server
 * unreachable only the latest report per VIP waits, and it is written when the server is back.
 */
public final class NodeStatusReporter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeStatusReporter.class);

    /** Sends one merge patch to a VirtualIP's status subresource; false when the VirtualIP does not exist. */
    @FunctionalInterface
    public interface StatusPatcher {
        boolean patch(String vip, String mergePatch) throws Exception;
    }

    private final String node;
    private final String heartbeatAddress;
    private final StatusPatcher patcher;
    private final ScheduledExecutorService writer;
    private final Clock clock;
    private final StatusCoalescer<String, VipReport> pending;
    private final LongAdder writeFailures = new LongAdder();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AutoCloseable owned;
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
                StatusCoalescer.DEFAULT_MAX_RETRY, NodeStatusPatch::sameContent);
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
     * Patches through {@code client} but without its request retries: the reporter retries itself, and a write must fail
     * fast rather than hold back the other VIPs' writes for the client's whole retry schedule (about 100 s by default).
     */
    public static StatusPatcher patcher(KubernetesClient client) {
        NamespacedKubernetesClient namespaced = client.adapt(NamespacedKubernetesClient.class);
        RequestConfig noRetries = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build();
        return (vip, body) -> {
            try {
                // patching a named resource without an item would GET it first; a bare item spares that request
                VirtualIP target = new VirtualIP();
                target.getMetadata().setName(vip);
                namespaced.withRequestConfig(noRetries).call(c -> c.resources(VirtualIP.class).resource(target).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), body));
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                throw e;
            }
        };
    }

    /** The latest report of a VIP's data plane; never blocks. */
    public void report(String vip, VipReport report) {
        pending.offer(vip, report);
        requestDrain();
    }

    /** Takes our entry out of the VIP's status (after its data plane stopped); never blocks. */
    public void remove(String vip) {
        pending.offerRemoval(vip);
        requestDrain();
    }

    public long writeFailures() {
        return writeFailures.sum();
    }

    /** The failed-write counter, for a metric. */
    public LongAdder writeFailureCounter() {
        return writeFailures;
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

    private void write(StatusCoalescer.Write<String, VipReport> write) {
        Instant now = clock.instant();
        String body = write.removal() ? NodeStatusPatch.removal(node)
                : NodeStatusPatch.entry(node, NodeStatusPatch.toNodeStatus(write.value(), heartbeatAddress, now));
        try {
            if (patcher.patch(write.key(), body)) {
                pending.succeeded(write);
            } else {
                LOG.debugf("VirtualIP %s is gone; dropping node %s's pending status", write.key(), node);
                pending.forget(write.key(), write.sequence());
            }
            if (failing) {
                LOG.infof("node %s: status writes work again after %d failed attempts", node, failuresInARow);
            }
            failing = false;
            failuresInARow = 0;
        } catch (Exception e) {
            writeFailures.increment();
            pending.failed(write);
            failuresInARow++;
            if (!failing) {
                LOG.warnf("node %s: cannot write the status of VirtualIP %s (%s); keeping the latest report per VIP and retrying"
                        + " with back-off up to %ds, the data plane is not affected", node, write.key(), oneLine(e),
                        StatusCoalescer.DEFAULT_MAX_RETRY.toSeconds());
            }
            failing = true;
        }
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
