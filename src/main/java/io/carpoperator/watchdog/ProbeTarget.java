package io.carpoperator.watchdog;

import java.util.Objects;

/**
 * One address to probe.
 *
 * @param interfaceName the interface arping sends on; required for {@link ProbeKind#ARP}, may be null for ICMP
 */
public record ProbeTarget(TargetRole role, ProbeKind kind, String address, String interfaceName) {

    public ProbeTarget {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(kind, "kind");
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("probe target address must not be empty, got '" + address + "'");
        }
        if (kind == ProbeKind.ARP && (interfaceName == null || interfaceName.isBlank())) {
            throw new IllegalArgumentException("ARP probe target " + address + " needs an interface, got '" + interfaceName + "'");
        }
    }

    public static ProbeTarget icmp(TargetRole role, String address) {
        return new ProbeTarget(role, ProbeKind.ICMP, address, null);
    }

    public static ProbeTarget arp(TargetRole role, String address, String interfaceName) {
        return new ProbeTarget(role, ProbeKind.ARP, address, interfaceName);
    }

    @Override
    public String toString() {
        return role.label() + " " + address + (kind == ProbeKind.ARP ? " (arp)" : "");
    }
}
