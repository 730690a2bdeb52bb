package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.VipDataPlaneFactory;
import io.carpoperator.dataplane.VipDataPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * The node agent in a cluster: watches the operator's per-VirtualIP configurations in its namespace, runs the data
 * planes of those that select this node through a {@link VipDataPlaneFactory} and reports them all in the node's
 * NodeReport. No CDI, so tests and the demo build it
 * directly. {@link #close()} is the graceful shutdown: every VIP hands over at once, then the reports are flushed.
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterAgent.class);
    /**
     * How long stopping every VIP may take: the pod's termination grace period is 15 s; a handover needs one helper
     * period (about 2 s at advbase 1, 4 s without preempt) and a second for the backup; the rest covers the kill,
     * the last reports and margin.
     */
    public static final Duration SHUTDOWN_BUDGET = VipDataPlane.DEFAULT_STOP_BUDGET;
    public static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);

    private final AgentSettings settings;
    private final NodeStatusReporter reporter;
    private final RunningVips running;
    private final AgentConfigWatcher watcher;
    private boolean started;
    private boolean closed;

    public ClusterAgent(KubernetesClient client, AgentSettings settings, VipDataPlaneFactory dataPlanes) {
        this(client, settings, dataPlanes, NodeStatusReporter.forCluster(client, settings));
    }

    /** With a reporter of the caller's choosing, e.g. one whose API server is unreachable. */
    public ClusterAgent(KubernetesClient client, AgentSettings settings, VipDataPlaneFactory dataPlanes, NodeStatusReporter reporter) {
        this.settings = settings;
        this.reporter = reporter;
        this.running = new RunningVips(settings.nodeName(), dataPlanes, reporter, Clock.systemUTC());
        this.watcher = new AgentConfigWatcher(client, settings, running);
    }

    public synchronized ClusterAgent start() {
        if (started) {
            return this;
        }
        started = true;
        LOG.infof("node %s: agent starting (node IP %s, namespace %s, status refresh every %ds)", settings.nodeName(),
                settings.nodeIp() == null ? "unknown" : settings.nodeIp(), settings.namespace(), settings.refreshInterval().toSeconds());
        watcher.start();
        return this;
    }

    /** Stops watching, hands every VIP over in parallel, then flushes the reports (bounded). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.infof("node %s: agent shutting down; handing over every VIP", settings.nodeName());
        watcher.close();
        running.stopAll(true, SHUTDOWN_BUDGET);
        if (!reporter.flush(FLUSH_TIMEOUT)) {
            LOG.warnf("node %s: some status reports were not written before exit", settings.nodeName());
        }
        reporter.close();
        LOG.infof("node %s: agent stopped", settings.nodeName());
    }

    /** The informer caches are complete. */
    public boolean isSynced() {
        return watcher.hasSynced();
    }

    /**
     * For /healthz: the status writer is not hung. Never fails because the API server is unreachable (writes then fail
     * fast and are retried; the data plane does not wait on them). The data-plane scheduler's heartbeat is the caller's,
     * who owns that scheduler.
     */
    public HealthVerdict liveness() {
        return HealthVerdict.of(reporter.hungWrite(NodeStatusReporter.WRITE_HANG_LIMIT));
    }

    /** For /readyz: the configurations were applied and every VIP of this node is past INIT (see {@link Readiness}). */
    public HealthVerdict readiness() {
        return Readiness.of(watcher.hasApplied(), running.reports());
    }

    /** What runs on this node now, by VirtualIP name. */
    public Map<String, VipSettings> runningVips() {
        return running.settings();
    }

    public long statusWriteFailures() {
        return reporter.writeFailures();
    }

    /** For a metric: failed writes of our node entries. */
    public LongAdder statusWriteFailureCounter() {
        return reporter.writeFailureCounter();
    }

    public AgentSettings settings() {
        return settings;
    }
}
