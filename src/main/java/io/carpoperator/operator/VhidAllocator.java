package io.carpoperator.operator;

import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.Ipv4Cidr;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides a VirtualIP's VHID among the VirtualIPs that may share a link with it ({@link LinkScope}): an explicit one if
 * nobody with a better right uses it there, else the one already held, else the lowest free one. A resource that
 * already holds a VHID (status.vhid) keeps it against newcomers; between equals the older resource wins. A VHID in use
 * is never taken away: two holders that collide (allocated under the old per-subnet rule, or whose nodes came to
 * overlap) both keep it, and the younger is told so.
 */
final class VhidAllocator {
    static final int MIN_VHID = 1;
    static final int MAX_VHID = 255;

    sealed interface Decision permits Allocated, Contested, Rejected {
    }

    record Allocated(int vhid) implements Decision {
    }

    /** Keeps the VHID it holds although an older holder may share its link: renumbering would break a running VIP. */
    record Contested(int vhid, String otherName, String message) implements Decision {
    }

    record Rejected(FieldProblem problem) implements Decision {
    }

    private VhidAllocator() {
    }

    /** Two VirtualIPs may not float the same address; the older one keeps it. */
    static Optional<FieldProblem> duplicateAddress(VipClaim self, Collection<VipClaim> all) {
        return all.stream()
                .filter(other -> !other.name().equals(self.name()) && other.address() == self.address())
                .filter(other -> precedes(VipClaim.SENIORITY, other, self))
                .min(VipClaim.SENIORITY)
                .map(older -> new FieldProblem("spec.address",
                        "'" + Ipv4Cidr.format(self.address()) + "' is already used by VirtualIP '" + older.name() + "'"));
    }

    static Decision decide(VipClaim self, Collection<VipClaim> all) {
        var neighbours = all.stream()
                .filter(other -> !other.name().equals(self.name()) && other.scope().mayShareLinkWith(self.scope()))
                .collect(Collectors.toList());
        Integer wanted = self.desiredVhid();
        if (wanted != null) {
            Optional<VipClaim> winner = neighbours.stream()
                    .filter(other -> wanted.equals(other.desiredVhid()))
                    .filter(other -> outranks(other, self, wanted))
                    .min(VipClaim.SENIORITY);
            if (winner.isEmpty()) {
                return new Allocated(wanted);
            }
            String clash = "VirtualIP '" + winner.get().name() + "', which may share a link with '" + self.name() + "' ("
                    + self.scope().overlapWith(winner.get().scope()) + ")";
            if (self.holds(wanted)) {
                return new Contested(wanted, winner.get().name(), "VHID " + wanted + " is also used by " + clash
                        + "; both keep it so that nothing running is renumbered: give one of them another spec.vhid");
            }
            if (self.explicitVhid() != null) {
                return new Rejected(new FieldProblem("spec.vhid", wanted + " is already used by " + clash));
            }
        }
        Set<Integer> taken = neighbours.stream().map(VipClaim::desiredVhid).filter(v -> v != null)
                .collect(Collectors.toCollection(TreeSet::new));
        for (int vhid = MIN_VHID; vhid <= MAX_VHID; vhid++) {
            if (!taken.contains(vhid)) {
                return new Allocated(vhid);
            }
        }
        return new Rejected(new FieldProblem("spec.vhid", "no free VHID left among the VirtualIPs that may share a link with '"
                + self.name() + "' (all 255 are used)"));
    }

    private static boolean outranks(VipClaim other, VipClaim self, int vhid) {
        Comparator<VipClaim> rank = Comparator.<VipClaim, Boolean>comparing(c -> !c.holds(vhid)).thenComparing(VipClaim.SENIORITY);
        return precedes(rank, other, self);
    }

    /** Whether {@code first} comes before {@code second}; never a tie, as both orders end with the (distinct) names. */
    private static boolean precedes(Comparator<VipClaim> order, VipClaim first, VipClaim second) {
        return order.compare(first, second) < 0;
    }
}
