package io.carpoperator.operator;

import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.VirtualIP;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * What one VirtualIP claims on the network: its address, its subnet and the VHID it asks for or holds.
 * Only VirtualIPs whose address parses make claims; the others are invalid anyway.
 */
record VipClaim(String name, Instant created, boolean established, int address, String subnet, Integer explicitVhid,
        Integer recordedVhid) {

    /**
     * Who wins a conflict: a VirtualIP the agents already run beats one they do not, then the older one; the name
     * breaks ties (creation times have one-second precision) so every decision is the same.
     */
    static final Comparator<VipClaim> SENIORITY = Comparator.comparing((VipClaim c) -> !c.established())
            .thenComparing(VipClaim::created).thenComparing(VipClaim::name);

    static Optional<VipClaim> of(VirtualIP vip, Integer knownVhid) {
        if (vip.getSpec() == null) {
            return Optional.empty();
        }
        return Ipv4Cidr.tryParse(vip.getSpec().address).map(cidr -> new VipClaim(
                vip.getMetadata().getName(),
                creationTime(vip),
                vip.getStatus() != null && vip.getStatus().resolved != null,
                cidr.address(),
                cidr.subnet(),
                vip.getSpec().vhid,
                knownVhid));
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
