package io.carpoperator.dataplane;

import io.carpoperator.carp.AddressControl;
import io.carpoperator.watchdog.ProbeKind;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import io.carpoperator.watchdog.WatchdogLoop;
import io.carpoperator.watchdog.WatchdogSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jboss.logging.Logger;

/**
 * The isolation watchdog of one VIP: what it probes (peers, heartbeats, isolation hosts: given, or the interface's
 * default gateway) and its loop, which starts once the interface is known and takes new settings without losing its
 * state. The listener decides what a round means for ucarp.
 */
final class VipWatchdog {

    private static final Logger LOG = Logger.getLogger(VipWatchdog.class);

    static final Duration MAX_PROBE_DEADLINE = Duration.ofSeconds(2);

    private final String label;
    private final DataPlaneEnvironment env;
    private final WatchdogLoop.Listener listener;
    private final AddressControl addresses;

    private volatile VipSettings settings;
    private volatile String interfaceName;
    private volatile List<String> peers;
    private volatile List<String> heartbeats;
    private volatile List<String> isolationHosts = List.of();
    /** Built from the fields above whenever one changes, not on every round (a hundred VIPs ask every second). */
    private volatile List<ProbeTarget> targets = List.of();
    // guarded by this
    private WatchdogLoop loop;
    private boolean started;
    private boolean closed;

    VipWatchdog(String label, VipSettings settings, DataPlaneEnvironment env, WatchdogLoop.Listener listener) {
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = Objects.requireNonNull(env, "env");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.addresses = new AddressControl(env.commands());
        this.peers = settings.peers();
        this.heartbeats = settings.heartbeats();
        this.targets = buildTargets();
    }

    /** A probe deadline of two fifths of the interval, at most {@link #MAX_PROBE_DEADLINE}. */
    static WatchdogSettings watchdogSettings(VipSettings s) {
        Duration deadline = s.probeInterval().multipliedBy(2).dividedBy(5);
        if (deadline.compareTo(MAX_PROBE_DEADLINE) > 0) {
            deadline = MAX_PROBE_DEADLINE;
        }
        return new WatchdogSettings(s.holdLimit(), s.recoverAfter(), s.probeInterval(), deadline);
    }

    void updateTargets(List<String> newPeers, List<String> newHeartbeats) {
        peers = List.copyOf(newPeers);
        heartbeats = List.copyOf(newHeartbeats);
        targets = buildTargets();
    }

    /** Starts probing (when isolation is on) once the interface and the isolation hosts are resolved. */
    void start(String resolvedInterface, List<String> resolvedIsolationHosts) {
        interfaceName = resolvedInterface;
        isolationHosts = List.copyOf(resolvedIsolationHosts);
        targets = buildTargets();
        synchronized (this) {
            started = true;
        }
        follow(settings);
    }

    /** The isolation hosts {@code s} asks for: as given, or when none are given, the default gateway of {@code iface}. */
    List<String> isolationHostsFor(VipSettings s, String iface) throws IOException {
        if (s.isolationEnabled() && s.isolationHosts().isEmpty()) {
            return addresses.defaultGateway(iface).map(List::of).orElseGet(() -> {
                LOG.warnf("%s: no isolation host given and %s has no default gateway: isolation is judged by peers only",
                        label, iface);
                return List.of();
            });
        }
        return s.isolationHosts();
    }

    /**
     * New settings; isolation hosts are looked up again only when they changed and {@code iface} is known (null: not
     * yet resolved). A failed look-up keeps the hosts probed now.
     *
     * @return whether isolation is on now
     */
    boolean retune(VipSettings was, VipSettings next, String iface) {
        List<String> hosts = null;
        if (iface != null && next.isolationEnabled()
                && (!was.isolationEnabled() || !was.isolationHosts().equals(next.isolationHosts()))) {
            try {
                hosts = isolationHostsFor(next, iface);
            } catch (IOException e) {
                LOG.warnf("%s: cannot look up the default gateway of %s, keeping isolation hosts %s: %s", label,
                        iface, isolationHosts, e.getMessage());
            }
        }
        return retune(next, hosts);
    }

    /**
     * New settings, and the isolation hosts they resolve to (null: unchanged). Before {@link #start} they are only
     * kept. The loop keeps its state; isolation turned off closes it, turned on starts it.
     *
     * @return whether isolation is on now
     */
    boolean retune(VipSettings next, List<String> resolvedIsolationHosts) {
        settings = next;
        if (resolvedIsolationHosts != null) {
            isolationHosts = List.copyOf(resolvedIsolationHosts);
        }
        updateTargets(next.peers(), next.heartbeats());
        follow(next);
        return next.isolationEnabled();
    }

    /** For good. */
    void close() {
        WatchdogLoop closing;
        synchronized (this) {
            closed = true;
            closing = loop;
            loop = null;
        }
        if (closing != null) {
            closing.close();
        }
    }

    /** Brings the loop in line with {@code s}: running with its settings when isolation is on, gone when off. */
    private void follow(VipSettings s) {
        WatchdogLoop running;
        WatchdogLoop created = null;
        synchronized (this) {
            if (!started || closed) {
                return;
            }
            running = loop;
            if (!s.isolationEnabled()) {
                loop = null;
            } else if (running == null) {
                created = new WatchdogLoop(label, watchdogSettings(s), env.rounds(), this::probeTargets, listener);
                loop = created;
            }
        }
        if (created != null) {
            created.start();
        } else if (running != null && !s.isolationEnabled()) {
            running.close();
        } else if (running != null) {
            running.retune(watchdogSettings(s));
        }
    }

    /** Peers by ICMP and/or ARP as configured, heartbeats by ICMP (another path: ARP would not cross it), isolation hosts like peers. */
    List<ProbeTarget> probeTargets() {
        return targets;
    }

    private List<ProbeTarget> buildTargets() {
        String iface = interfaceName;
        List<ProbeTarget> built = new ArrayList<>();
        addTargets(built, TargetRole.PEER, peers, iface);
        addTargets(built, TargetRole.ISOLATION_HOST, isolationHosts, iface);
        for (String heartbeat : heartbeats) {
            built.add(ProbeTarget.icmp(TargetRole.HEARTBEAT, heartbeat));
        }
        return List.copyOf(built);
    }

    private void addTargets(List<ProbeTarget> targets, TargetRole role, List<String> hosts, String iface) {
        VipSettings s = settings;
        for (String host : hosts) {
            if (s.probes().contains(ProbeKind.ICMP)) {
                targets.add(ProbeTarget.icmp(role, host));
            }
            if (s.probes().contains(ProbeKind.ARP) && iface != null) {
                targets.add(ProbeTarget.arp(role, host, iface));
            }
        }
    }

    /** For the set-up log line. */
    String describeTargets() {
        return "isolation hosts " + isolationHosts + ", peers " + peers + ", heartbeats " + heartbeats;
    }
}
