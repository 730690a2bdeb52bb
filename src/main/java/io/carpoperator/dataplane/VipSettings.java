package io.carpoperator.dataplane;

import io.carpoperator.watchdog.ProbeKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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

    public VipSettings withTargets(List<String> newPeers, List<String> newHeartbeats) {
        return new VipSettings(name, address, prefixLength, interfaceName, sourceAddress, vhid, preempt, advbase, advskew,
                password, isolationEnabled, newPeers, newHeartbeats, isolationHosts, probes, probeInterval, holdLimit,
                recoverAfter, gratuitousArpInterval);
    }
}
