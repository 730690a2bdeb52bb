package io.carpoperator.operator;

import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serialises VHID decisions across concurrent reconciles: the informer cache may not yet show a VHID this operator
 * just allocated to another VirtualIP, so decisions are remembered here until the resource is gone. After a restart
 * status.vhid is the record, so allocations survive it.
 */
@ApplicationScoped
public class VhidRegistry {
    private final Map<String, Integer> decided = new HashMap<>();

    synchronized VhidAllocator.Decision decide(VirtualIP self, Collection<VirtualIP> all, Collection<Node> nodes) {
        List<VipClaim> claims = all.stream().map(vip -> VipClaim.of(vip, known(vip), nodes)).flatMap(Optional::stream).toList();
        VipClaim own = claims.stream().filter(c -> c.name().equals(self.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("VirtualIP " + self.getMetadata().getName() + " has no parseable address"));
        var duplicate = VhidAllocator.duplicateAddress(own, claims);
        if (duplicate.isPresent()) {
            return new VhidAllocator.Rejected(duplicate.get());
        }
        var decision = VhidAllocator.decide(own, claims);
        if (decision instanceof VhidAllocator.Allocated allocated) {
            decided.put(own.name(), allocated.vhid());
        } else if (decision instanceof VhidAllocator.Contested contested) {
            decided.put(own.name(), contested.vhid());
        }
        return decision;
    }

    synchronized void forget(String name) {
        decided.remove(name);
    }

    private Integer known(VirtualIP vip) {
        Integer remembered = decided.get(vip.getMetadata().getName());
        if (remembered != null) {
            return remembered;
        }
        return vip.getStatus() == null ? null : vip.getStatus().vhid;
    }
}
