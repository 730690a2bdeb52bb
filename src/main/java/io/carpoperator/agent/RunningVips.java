package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.VipReport;
import io.carpoperator.dataplane.VipDataPlaneFactory;
import io.carpoperator.dataplane.VipDataPlane;
import io.carpoperator.api.NodeState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The VIPs whose data plane runs on this node, and the one place that starts, restarts, updates and stops them.
 * Every report of a data plane goes to the {@link NodeStatusReporter}, until that data plane is being stopped.
 */
final class RunningVips {
    private static final Logger LOG = Logger.getLogger(RunningVips.class);

    private final String node;
    private final VipDataPlaneFactory dataPlanes;
    private final NodeStatusReporter reporter;
    private final Clock clock;
    /** Changed under this object's monitor; a concurrent map so {@link #reports()} reads it without waiting for a stop. */
    private final Map<String, RunningVip> running = new ConcurrentSkipListMap<>();
    /**
     * The most VIPs one node runs: the DaemonSet's memory limit is sized for this many (the JVM plus one ucarp each,
     * measured); more would get the agent OOM-killed, and a killed agent leaves addresses behind until it restarts.
     */
    public static final int MAX_VIPS_PER_NODE = 100;
    /** Past the budget: SIGKILL, {@code ip addr del} and the last report. */
    static final Duration STOP_OVERRUN = Duration.ofSeconds(1);

    private static final class RunningVip {
        final AtomicBoolean reporting = new AtomicBoolean(true);
        volatile String ownAddress;
        volatile VipReport lastReport;
        VipSettings settings;
        VipDataPlane plane;

        RunningVip(VipSettings settings) {
            this.settings = settings;
        }
    }

    RunningVips(String node, VipDataPlaneFactory dataPlanes, NodeStatusReporter reporter, Clock clock) {
        this.node = node;
        this.dataPlanes = dataPlanes;
        this.reporter = reporter;
        this.clock = clock;
    }

    /** The settings each running VIP runs with now. */
    synchronized Map<String, VipSettings> settings() {
        Map<String, VipSettings> settings = new LinkedHashMap<>();
        running.forEach((name, vip) -> settings.put(name, vip.settings));
        return settings;
    }

    synchronized Map<String, VipSettings> settings(Set<String> names) {
        Map<String, VipSettings> settings = new LinkedHashMap<>();
        running.forEach((name, vip) -> {
            if (names.contains(name)) {
                settings.put(name, vip.settings);
            }
        });
        return settings;
    }

    /**
     * The latest report of each running VIP (null before its first), for readiness: never blocks, not even while
     * {@link #apply} stops a data plane, because the HTTP thread that asks also answers the liveness probe.
     */
    Map<String, VipReport> reports() {
        Map<String, VipReport> reports = new TreeMap<>();
        running.forEach((name, vip) -> reports.put(name, vip.lastReport));
        return reports;
    }

    /** Our NodeReport holds an entry for the VIP (running or not: a failed start is reported too). */
    boolean reported(String name) {
        return reporter.reports(name);
    }

    /** Our address on each VIP's interface as its data plane last reported it. */
    synchronized Map<String, String> ownAddresses() {
        Map<String, String> addresses = new TreeMap<>();
        running.forEach((name, vip) -> {
            if (vip.ownAddress != null) {
                addresses.put(name, vip.ownAddress);
            }
        });
        return addresses;
    }

    synchronized void apply(List<VipAction> actions) {
        for (VipAction action : actions) {
            if (action instanceof VipAction.Start start) {
                LOG.infof("VirtualIP %s on node %s: starting %s", start.name(), node, describe(start.settings()));
                start(start.settings());
            } else if (action instanceof VipAction.Restart restart) {
                restart(restart.settings(), restart.changes());
            } else if (action instanceof VipAction.Retune retune) {
                retune(retune);
            } else if (action instanceof VipAction.UpdateTargets update) {
                RunningVip vip = running.get(update.name());
                if (vip == null) {
                    continue;
                }
                LOG.infof("VirtualIP %s on node %s: probe targets now peers %s, heartbeats %s", update.name(), node,
                        update.settings().peers(), update.settings().heartbeats());
                try {
                    vip.plane.updateTargets(update.settings().peers(), update.settings().heartbeats());
                    vip.settings = update.settings();
                } catch (RuntimeException e) {
                    LOG.warnf("VirtualIP %s on node %s: updating probe targets failed: %s", update.name(), node, e.toString());
                }
            } else if (action instanceof VipAction.Stop stop) {
                RunningVip vip = running.remove(stop.name());
                if (vip != null) {
                    LOG.infof("VirtualIP %s on node %s: stopping because %s", stop.name(), node, stop.reason());
                    stop(stop.name(), vip, false);
                }
                if (stop.removeEntry()) {
                    reporter.remove(stop.name());
                }
            } else if (action instanceof VipAction.RemoveEntry remove) {
                LOG.debugf("VirtualIP %s on node %s: removing our status entry because %s", remove.name(), node, remove.reason());
                reporter.remove(remove.name());
            }
        }
    }

    /**
     * Stops every VIP at once, each handing over first when {@code handOver}, within {@code budget}: each data plane
     * gets the budget and ends with its ucarp killed and address removed when its handover has not finished by then.
     * The stop threads are not daemons and are awaited (a little past the budget, for the kill and the last report):
     * a JVM that exits mid-handover would leave ucarp frozen with the address configured.
     */
    synchronized void stopAll(boolean handOver, Duration budget) {
        if (running.isEmpty()) {
            return;
        }
        LOG.infof("node %s: stopping %d VIP(s)%s within %d ms", node, running.size(), handOver ? " with hand-over" : "",
                budget.toMillis());
        long started = System.nanoTime();
        List<Thread> stops = new ArrayList<>();
        Map<String, RunningVip> stopping = new TreeMap<>(running);
        running.clear();
        stopping.forEach((name, vip) -> {
            Thread thread = new Thread(() -> {
                stopPlane(name, vip, handOver, budget);
                finalReport(name, vip);
            }, "carp-stop-" + name);
            thread.start();
            stops.add(thread);
        });
        long deadline = started + budget.plus(STOP_OVERRUN).toNanos();
        for (Thread stop : stops) {
            try {
                stop.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (stop.isAlive()) {
                LOG.warnf("node %s: %s has not finished within %d ms", node, stop.getName(), budget.plus(STOP_OVERRUN).toMillis());
            }
        }
        LOG.infof("node %s: VIPs stopped after %d ms", node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * A master hands over first, so the change costs no more than a handover; a backup just restarts. Not when the
     * password changes too: the handover helper would advertise with a password the backups may not use (yet).
     */
    private void restart(VipSettings settings, String changes) {
        String name = settings.name();
        RunningVip old = running.remove(name);
        boolean handOver = old != null && Objects.equals(old.settings.password(), settings.password())
                && state(old) == NodeState.MASTER;
        LOG.infof("VirtualIP %s on node %s: configuration changed (%s); restarting its data plane%s", name, node, changes,
                handOver ? " after handing the VIP over to a backup" : "");
        if (old != null) {
            stop(name, old, handOver);
        }
        start(settings);
    }

    private void retune(VipAction.Retune retune) {
        RunningVip vip = running.get(retune.name());
        if (vip == null) {
            return;
        }
        boolean applied;
        try {
            applied = vip.plane.retune(retune.settings());
        } catch (RuntimeException e) {
            LOG.warnf("VirtualIP %s on node %s: applying %s in place failed: %s", retune.name(), node, retune.changes(),
                    e.toString());
            applied = false;
        }
        if (applied) {
            boolean rotation = !Objects.equals(vip.settings.password(), retune.settings().password());
            vip.settings = retune.settings();
            LOG.infof("VirtualIP %s on node %s: configuration changed (%s); %s", retune.name(), node, retune.changes(),
                    rotation ? "applied in place, ucarp restarts onto the new password (a master last, after a grace)"
                            : "applied without restarting ucarp");
        } else {
            restart(retune.settings(), retune.changes());
        }
    }

    private static NodeState state(RunningVip vip) {
        try {
            VipReport report = vip.plane.report();
            return report == null ? NodeState.INIT : report.state();
        } catch (RuntimeException e) {
            return NodeState.INIT;
        }
    }

    private void start(VipSettings settings) {
        String name = settings.name();
        if (running.size() >= MAX_VIPS_PER_NODE) {
            String why = "not started: node " + node + " already runs " + running.size() + " VIPs, the most the agent's"
                    + " memory limit is sized for (each VIP is one ucarp process; docs/BENCHMARKS.md, footprint)";
            LOG.warnf("VirtualIP %s: %s", name, why);
            reporter.report(name, new VipReport(NodeState.FAILED, clock.instant(), why, null, null, 0, List.of()));
            return;
        }
        RunningVip vip = new RunningVip(settings);
        try {
            vip.plane = dataPlanes.start(settings, report -> forward(name, vip, report));
        } catch (RuntimeException e) {
            LOG.warnf("VirtualIP %s on node %s: its data plane did not start: %s; retrying on the next change or resync", name, node,
                    e.toString());
            reporter.report(name, new VipReport(NodeState.FAILED, clock.instant(), "data plane did not start: " + e.getMessage(), null,
                    null, 0, List.of()));
            return;
        }
        running.put(name, vip);
        try {
            VipReport first = vip.plane.report();
            if (first != null) {
                forward(name, vip, first);
            }
        } catch (RuntimeException e) {
            LOG.debugf("VirtualIP %s: no first report: %s", name, e);
        }
    }

    private void forward(String name, RunningVip vip, VipReport report) {
        if (report != null && vip.reporting.get()) {
            if (report.address() != null) {
                vip.ownAddress = report.address();
            }
            vip.lastReport = report;
            reporter.report(name, report);
        }
    }

    /** A deliberate stop: its last words are not reported, the entry is removed or replaced by the next data plane. */
    private void stop(String name, RunningVip vip, boolean handOver) {
        vip.reporting.set(false);
        stopPlane(name, vip, handOver, VipDataPlane.DEFAULT_STOP_BUDGET);
    }

    private void stopPlane(String name, RunningVip vip, boolean handOver, Duration budget) {
        try {
            vip.plane.stop(handOver, budget);
        } catch (RuntimeException e) {
            LOG.warnf("VirtualIP %s on node %s: stopping its data plane failed: %s", name, node, e.toString());
        }
    }

    private void finalReport(String name, RunningVip vip) {
        try {
            forward(name, vip, vip.plane.report());
        } catch (RuntimeException e) {
            LOG.debugf("VirtualIP %s: no final report: %s", name, e);
        }
        vip.reporting.set(false);
    }

    private static String describe(VipSettings s) {
        return s.address() + "/" + s.prefixLength() + " vhid " + s.vhid() + " advskew " + s.advskew()
                + (s.interfaceName() == null ? "" : " on " + s.interfaceName()) + (s.preempt() ? " preempt" : "")
                + ", peers " + s.peers() + ", heartbeats " + s.heartbeats();
    }
}
