package io.carpoperator.operator;

import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one VirtualIP claims on the network: its address, the link its adverts may be heard on and the VHID it asks
 * for or holds. Only VirtualIPs whose address parses make claims; the others are invalid anyway.
 */
record VipClaim(String name, Instant created, boolean established, int address, LinkScope scope, Integer explicitVhid,
        Integer recordedVhid) {

    /**
     * Who wins a conflict: a VirtualIP the agents already run beats one they do not, then the older one; the name
     * breaks ties (creation times have one-second precision) so every decision is the same.
     */
    static final Comparator<VipClaim> SENIORITY = Comparator.comparing((VipClaim c) -> !c.established())
            .thenComparing(VipClaim::created).thenComparing(VipClaim::name);

    static Optional<VipClaim> of(VirtualIP vip, Integer knownVhid, Collection<Node> nodes) {
        if (vip.getSpec() == null) {
            return Optional.empty();
        }
        return Ipv4Cidr.tryParse(vip.getSpec().address).map(cidr -> new VipClaim(
                vip.getMetadata().getName(),
                creationTime(vip),
                vip.getStatus() != null && vip.getStatus().resolved != null,
                cidr.address(),
                scope(vip, nodes),
                vip.getSpec().vhid,
                knownVhid));
    }

    /**
     * The nodes the spec selects now plus those the agents may still run the last resolved configuration on. A
     * selector that cannot be evaluated, or that selects no node yet, counts as every node: nodes may join later,
     * and the VHID must not collide then.
     */
    static LinkScope scope(VirtualIP vip, Collection<Node> nodes) {
        ResolvedConfig resolved = vip.getStatus() == null ? null : vip.getStatus().resolved;
        String wantedInterface = vip.getSpec().interfaceName;
        String interfaceName = resolved == null || Objects.equals(resolved.interfaceName, wantedInterface) ? wantedInterface : null;
        if (NodeSelection.problem(vip.getSpec().nodeSelector).isPresent()) {
            return new LinkScope(null, interfaceName);
        }
        Set<String> selected = new HashSet<>(NodeSelection.selectedNodeNames(vip.getSpec().nodeSelector, nodes));
        if (resolved != null && resolved.nodes != null) {
            resolved.nodes.forEach(n -> selected.add(n.name));
        }
        return new LinkScope(selected.isEmpty() ? null : selected, interfaceName);
    }

    private static Instant creationTime(VirtualIP vip) {
        String ts = vip.getMetadata().getCreationTimestamp();
        return ts == null ? Instant.MAX : Instant.parse(ts);
    }

    /** The VHID this claim wants: the explicit one, else the one it already holds. */
    Integer desiredVhid() {
        return explicitVhid != null ? explicitVhid : recordedVhid;
    }

    /** Holding the VHID already (recorded in status) ranks before merely asking for it. */
    boolean holds(int vhid) {
        return recordedVhid != null && recordedVhid == vhid;
    }
}
