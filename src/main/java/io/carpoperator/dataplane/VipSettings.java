package io.carpoperator.dataplane;

import io.carpoperator.watchdog.ProbeKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one VIP needs on one node, fully resolved: in a cluster from the operator's status.resolved block and
 * the password Secret, standalone from the command line. No Kubernetes types, so the data plane can run without one.
 *
 * @param name               the VirtualIP's name (standalone: "vhid-N"), used in logs, metrics and file names
 * @param address            the floating IPv4 address, without prefix
 * @param prefixLength       its prefix length
 * @param interfaceName      the interface, or null to use the one whose subnet contains the address
 * @param sourceAddress      this node's own address on that interface, or null to discover it
 * @param peers              other nodes' addresses on the VIP network (the seed's EXTERNAL)
 * @param heartbeats         other nodes' addresses on another path (the seed's INTERNAL)
 * @param isolationHosts     isolation hosts (the seed's HOST); empty = the interface's default gateway
 * @param gratuitousArpInterval  GARP repeat while master; zero = only on takeover
 */
public record VipSettings(
        String name,
        String address,
        int prefixLength,
        String interfaceName,
        String sourceAddress,
        int vhid,
        boolean preempt,
        int advbase,
        int advskew,
        String password,
        boolean isolationEnabled,
        List<String> peers,
        List<String> heartbeats,
        List<String> isolationHosts,
        Set<ProbeKind> probes,
        Duration probeInterval,
        int holdLimit,
        int recoverAfter,
        Duration gratuitousArpInterval) {

    public VipSettings {
        peers = List.copyOf(peers);
        heartbeats = List.copyOf(heartbeats);
        isolationHosts = List.copyOf(isolationHosts);
        probes = Set.copyOf(probes);
    }

    /** Same ucarp and watchdog configuration; peers and heartbeats may differ (they are updated in place). */
    public boolean sameExceptTargets(VipSettings other) {
        return other != null && withTargets(List.of(), List.of()).equals(other.withTargets(List.of(), List.of()));
    }

    /**
     * Same ucarp command line: what differs (watchdog, gratuitous ARP, targets, password) a running data plane applies
     * in place, see {@link VipDataPlane#retune}.
     */
    public boolean sameUcarpCommandLine(VipSettings other) {
        return other != null && name.equals(other.name) && address.equals(other.address)
                && prefixLength == other.prefixLength && Objects.equals(interfaceName, other.interfaceName)
                && Objects.equals(sourceAddress, other.sourceAddress) && vhid == other.vhid && preempt == other.preempt
                && advbase == other.advbase && advskew == other.advskew;
    }

    /** Which settings differ from {@code was}, for one log line; the password is named, never shown. */
    public String changesSince(VipSettings was) {
        List<String> changed = new ArrayList<>();
        diff(changed, "address", was.address + "/" + was.prefixLength, address + "/" + prefixLength);
        diff(changed, "interface", was.interfaceName, interfaceName);
        diff(changed, "source address", was.sourceAddress, sourceAddress);
        diff(changed, "vhid", was.vhid, vhid);
        diff(changed, "preempt", was.preempt, preempt);
        diff(changed, "advbase", was.advbase, advbase);
        diff(changed, "advskew", was.advskew, advskew);
        if (!Objects.equals(was.password, password)) {
            changed.add("password");
        }
        diff(changed, "isolation", was.isolationEnabled, isolationEnabled);
        diff(changed, "isolation hosts", was.isolationHosts, isolationHosts);
        diff(changed, "probes", new TreeSet<>(was.probes), new TreeSet<>(probes));
        diff(changed, "probe interval", was.probeInterval, probeInterval);
        diff(changed, "hold limit", was.holdLimit, holdLimit);
        diff(changed, "recover after", was.recoverAfter, recoverAfter);
        diff(changed, "gratuitous ARP interval", was.gratuitousArpInterval, gratuitousArpInterval);
        diff(changed, "peers", was.peers, peers);
        diff(changed, "heartbeats", was.heartbeats, heartbeats);
        return changed.isEmpty() ? "nothing" : String.join(", ", changed);
    }

    private static void diff(List<String> changed, String field, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            changed.add(field + " " + was + " -> " + now);
        }
    }

    public VipSettings withTargets(List<String> newPeers, List<String> newHeartbeats) {
        return new VipSettings(name, address, prefixLength, interfaceName, sourceAddress, vhid, preempt, advbase, advskew,
                password, isolationEnabled, newPeers, newHeartbeats, isolationHosts, probes, probeInterval, holdLimit,
                recoverAfter, gratuitousArpInterval);
    }
}
