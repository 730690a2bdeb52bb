package io.carpoperator.agent;

import io.carpoperator.dataplane.NodeStateJournal;
import io.carpoperator.dataplane.RecordedVip;
import io.carpoperator.dataplane.VipDataPlaneFactory;
import io.carpoperator.dataplane.VipDataPlane;
import io.carpoperator.dataplane.VipSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * The node agent in a cluster: watches the operator's per-VirtualIP configurations in its namespace, runs the data
 * planes of those that select this node through a {@link VipDataPlaneFactory} and reports them all in the node's
 * NodeReport. No CDI, so tests and the demo build it
 * directly. {@link #close()} is the graceful shutdown: every VIP hands over at once, then the reports are flushed.
 *
 * <p>With a {@link NodeStateJournal} it records what it runs, and when the API server has not answered within
 * {@link AgentSettings#apiGrace()} of the start it serves the VIPs the journal recorded for this node; once the caches
 * sync, the usual reconcile stops, restarts or keeps each of them, and the journal forgets what no longer runs.
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterAgent.class);
    /** The most VIPs one agent runs; the DaemonSet's memory limit is sized for them (see RunningVips). */
    public static final int MAX_VIPS_PER_NODE = RunningVips.MAX_VIPS_PER_NODE;
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
    private final NodeStateJournal journal;
    private volatile boolean servedFromRecord;
    private boolean started;
    private boolean closed;

    public ClusterAgent(KubernetesClient client, AgentSettings settings, VipDataPlaneFactory dataPlanes) {
        this(client, settings, dataPlanes, NodeStatusReporter.forCluster(client, settings));
    }

    /** With a reporter of the caller's choosing, e.g. one whose API server is unreachable. */
    public ClusterAgent(KubernetesClient client, AgentSettings settings, VipDataPlaneFactory dataPlanes, NodeStatusReporter reporter) {
        this(client, settings, dataPlanes, reporter, null);
    }

    /** Recording what runs in {@code journal}, and serving what it recorded while the API server is unreachable. */
    public ClusterAgent(KubernetesClient client, AgentSettings settings, VipDataPlaneFactory dataPlanes, NodeStateJournal journal) {
        this(client, settings, dataPlanes, NodeStatusReporter.forCluster(client, settings), journal);
    }

    /** @param journal the node-state journal, already swept; null to record nothing */
    public ClusterAgent(KubernetesClient client, AgentSettings settings, VipDataPlaneFactory dataPlanes, NodeStatusReporter reporter,
            NodeStateJournal journal) {
        this.settings = settings;
        this.reporter = reporter;
        this.journal = journal;
        VipDataPlaneFactory planes = journal == null ? dataPlanes : journal.recordingVips(dataPlanes, settings.nodeName());
        this.running = new RunningVips(settings.nodeName(), planes, reporter, Clock.systemUTC());
        this.watcher = new AgentConfigWatcher(client, settings, running, this::firstSyncedPassDone);
    }

    public synchronized ClusterAgent start() {
        if (started) {
            return this;
        }
        started = true;
        LOG.infof("node %s: agent starting (node IP %s, namespace %s, status refresh every %ds)", settings.nodeName(),
                settings.nodeIp() == null ? "unknown" : settings.nodeIp(), settings.namespace(), settings.refreshInterval().toSeconds());
        if (journal != null) {
            watcher.unlessSyncedWithin(settings.apiGrace(), this::serveRecordedVips);
        }
        watcher.start();
        return this;
    }

    /** On the reconciler thread, the API server not having answered within the grace. */
    private void serveRecordedVips() {
        Set<String> alreadyRunning = running.settings().keySet();
        List<VipAction> starts = new ArrayList<>();
        Instant newest = null;
        for (RecordedVip vip : journal.previousRun().vips()) {
            if (!settings.nodeName().equals(vip.node()) || alreadyRunning.contains(vip.name())) {
                continue;
            }
            if (vip.settings() == null) {
                LOG.warnf("VirtualIP %s on node %s: its recorded configuration cannot be read; not served until the API server answers",
                        vip.name(), settings.nodeName());
                continue;
            }
            starts.add(new VipAction.Start(vip.settings()));
            if (vip.recordedAt() != null && (newest == null || vip.recordedAt().isAfter(newest))) {
                newest = vip.recordedAt();
            }
        }
        if (starts.isEmpty()) {
            LOG.warnf("node %s: API unreachable for %d s since start and no VIP recorded for this node in %s; serving none until it "
                    + "answers", settings.nodeName(), settings.apiGrace().toSeconds(), journal.directory());
            return;
        }
        LOG.warnf("node %s: API unreachable: serving %d VIP(s) from the configuration recorded at %s (%s); the API server's "
                + "configuration takes over once it answers", settings.nodeName(), starts.size(), newest == null ? "an unknown time" : newest,
                String.join(", ", starts.stream().map(VipAction::name).toList()));
        servedFromRecord = true;
        running.apply(starts);
    }

    /** On the reconciler thread: what runs now is what the API server wants here; the rest of the record goes. */
    private void firstSyncedPassDone() {
        if (servedFromRecord) {
            LOG.infof("node %s: API server answered; its configuration replaced the recorded one", settings.nodeName());
        }
        if (journal != null) {
            journal.forgetVipsNotRecordedThisRun();
        }
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
