package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.Ipv4Cidr;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VhidAllocatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final LinkScope NODES_AB = new LinkScope(Set.of("a", "b"), null);

    static VipClaim claim(String name, int ageRank, String address, Integer explicit, Integer recorded) {
        return claim(name, ageRank, address, NODES_AB, explicit, recorded);
    }

    static VipClaim claim(String name, int ageRank, String address, LinkScope scope, Integer explicit, Integer recorded) {
        Ipv4Cidr cidr = Ipv4Cidr.parse(address);
        return new VipClaim(name, T0.plusSeconds(ageRank), recorded != null, cidr.address(), scope, explicit, recorded);
    }

    private static VhidAllocator.Decision newcomerBeside(VipClaim holder, VipClaim newcomer) {
        return VhidAllocator.decide(newcomer, List.of(holder, newcomer));
    }

    @Test
    void allocatesTheLowestFreeVhidAmongTheVirtualIPsThatMayShareALink() {
        var a = claim("a", 0, "198.51.100.10/24", null, 1);
        var b = claim("b", 1, "198.51.100.11/24", 3, null);
        var c = claim("c", 2, "198.51.100.12/24", null, null);
        assertThat(VhidAllocator.decide(c, List.of(a, b, c))).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void twoHostAddressesOnOneLinkGetDistinctVhids() {
        var first = claim("first", 0, "198.51.100.10/32", null, 1);
        assertThat(newcomerBeside(first, claim("second", 1, "198.51.100.11/32", null, null))).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void overlappingPrefixesGetDistinctVhids() {
        var wide = claim("wide", 0, "10.0.0.5/24", null, 1);
        assertThat(newcomerBeside(wide, claim("narrow", 1, "10.0.0.9/25", null, null))).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void severalSubnetsOnOneInterfaceGetDistinctVhids() {
        var eth0 = new LinkScope(Set.of("a", "b"), "eth0");
        var first = claim("first", 0, "198.51.100.10/24", eth0, null, 1);
        var second = claim("second", 1, "203.0.113.10/24", eth0, null, null);
        assertThat(newcomerBeside(first, second)).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void anAutoDetectedInterfaceMayBeAnyInterfaceOfTheSharedNodes() {
        var first = claim("first", 0, "198.51.100.10/24", new LinkScope(Set.of("a"), "eth0"), null, 1);
        var second = claim("second", 1, "203.0.113.10/24", new LinkScope(Set.of("a"), null), null, null);
        assertThat(newcomerBeside(first, second)).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void nodesNotKnownYetCountAsSharingEveryLink() {
        var first = claim("first", 0, "198.51.100.10/24", new LinkScope(Set.of("a"), null), null, 1);
        var second = claim("second", 1, "203.0.113.10/24", LinkScope.ANYWHERE, null, null);
        assertThat(newcomerBeside(first, second)).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void disjointNodeSetsMayReuseAVhid() {
        var first = claim("first", 0, "198.51.100.10/24", new LinkScope(Set.of("a", "b"), null), null, 1);
        var second = claim("second", 1, "198.51.100.11/24", new LinkScope(Set.of("c", "d"), null), null, null);
        assertThat(newcomerBeside(first, second)).isEqualTo(new VhidAllocator.Allocated(1));
    }

    @Test
    void distinctNamedInterfacesMayReuseAVhid() {
        var first = claim("first", 0, "198.51.100.10/24", new LinkScope(Set.of("a"), "eth0"), null, 1);
        var second = claim("second", 1, "203.0.113.10/24", new LinkScope(Set.of("a"), "eth1"), null, null);
        assertThat(newcomerBeside(first, second)).isEqualTo(new VhidAllocator.Allocated(1));
    }

    @Test
    void twoHoldersThatAlreadyCollideBothKeepTheirVhidAndTheYoungerIsToldWhichOtherHasIt() {
        var older = claim("older", 0, "198.51.100.10/24", null, 1);
        var younger = claim("younger", 1, "203.0.113.10/24", null, 1);
        assertThat(VhidAllocator.decide(older, List.of(older, younger))).isEqualTo(new VhidAllocator.Allocated(1));
        var decision = VhidAllocator.decide(younger, List.of(older, younger));
        assertThat(decision).isInstanceOf(VhidAllocator.Contested.class);
        var contested = (VhidAllocator.Contested) decision;
        assertThat(contested.vhid()).isEqualTo(1);
        assertThat(contested.otherName()).isEqualTo("older");
        assertThat(contested.message()).isEqualTo("VHID 1 is also used by VirtualIP 'older', which may share a link with 'younger'"
                + " (nodes a, b; interfaces auto-detected); both keep it so that nothing running is renumbered: give one of them"
                + " another spec.vhid");
    }

    @Test
    void keepsAnAllocatedVhidEvenWhenALowerOneFreesUp() {
        var self = claim("self", 1, "198.51.100.10/24", null, 7);
        assertThat(VhidAllocator.decide(self, List.of(self))).isEqualTo(new VhidAllocator.Allocated(7));
    }

    @Test
    void newerExplicitVhidAlreadyUsedOnTheLinkIsRejectedNamingBothAndTheOlderKeepsIt() {
        var older = claim("older", 0, "198.51.100.10/24", 99, 99);
        var newer = claim("newer", 1, "198.51.100.20/24", 99, null);
        assertThat(VhidAllocator.decide(older, List.of(older, newer))).isEqualTo(new VhidAllocator.Allocated(99));
        var decision = VhidAllocator.decide(newer, List.of(older, newer));
        assertThat(decision).isInstanceOf(VhidAllocator.Rejected.class);
        assertThat(((VhidAllocator.Rejected) decision).problem())
                .hasToString("spec.vhid: 99 is already used by VirtualIP 'older', which may share a link with 'newer'"
                        + " (nodes a, b; interfaces auto-detected)");
    }

    @Test
    void aResourceThatHoldsAVhidKeepsItAgainstAnOlderResourceEditedToClaimIt() {
        var olderEdited = claim("older", 0, "198.51.100.10/24", 5, 1);
        var holder = claim("holder", 1, "198.51.100.20/24", null, 5);
        assertThat(VhidAllocator.decide(holder, List.of(olderEdited, holder))).isEqualTo(new VhidAllocator.Allocated(5));
        assertThat(VhidAllocator.decide(olderEdited, List.of(olderEdited, holder))).isInstanceOf(VhidAllocator.Rejected.class);
    }

    @Test
    void theSameAddressTwiceIsRejectedForTheNewerResource() {
        var older = claim("older", 0, "198.51.100.10/24", null, 1);
        var newer = claim("newer", 1, "198.51.100.10/25", null, null);
        assertThat(VhidAllocator.duplicateAddress(older, List.of(older, newer))).isEmpty();
        assertThat(VhidAllocator.duplicateAddress(newer, List.of(older, newer))).get()
                .hasToString("spec.address: '198.51.100.10' is already used by VirtualIP 'older'");
    }

    @Test
    void aVirtualIPAlreadyInServiceKeepsItsAddressAgainstAnOlderNameCreatedInTheSameSecond() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("198.51.100.10/24");
        var serving = new VipClaim("zeta", T0, true, cidr.address(), NODES_AB, null, 1);
        var newcomer = new VipClaim("alpha", T0, false, cidr.address(), NODES_AB, null, null);
        assertThat(VhidAllocator.duplicateAddress(serving, List.of(serving, newcomer))).isEmpty();
        assertThat(VhidAllocator.duplicateAddress(newcomer, List.of(serving, newcomer))).isPresent();
    }

    @Test
    void reportsWhenNoVhidIsFreeAmongTheVirtualIPsThatMayShareALink() {
        var claims = new java.util.ArrayList<VipClaim>();
        for (int v = 1; v <= 255; v++) {
            claims.add(claim("v" + v, v, "198.51.100.10/24", null, v));
        }
        var self = claim("late", 1000, "198.51.100.99/24", null, null);
        claims.add(self);
        assertThat(VhidAllocator.decide(self, claims)).isInstanceOf(VhidAllocator.Rejected.class);
    }
    @Test
    void anExplicitVhidNobodyElseWantsIsAllocatedBesideAnOlderHolderOfAnother() {
        var older = claim("older", 0, "198.51.100.10/24", null, 3);
        var newer = claim("newer", 1, "198.51.100.20/24", 5, null);
        assertThat(VhidAllocator.decide(newer, List.of(older, newer))).isEqualTo(new VhidAllocator.Allocated(5));
    }

    @Test
    void aNeighbourThatWantsNoVhidYetTakesNoneAway() {
        var waiting = claim("waiting", 0, "198.51.100.10/24", null, null);
        var self = claim("self", 1, "198.51.100.20/24", null, null);
        assertThat(VhidAllocator.decide(self, List.of(waiting, self))).isEqualTo(new VhidAllocator.Allocated(1));
    }

    @Test
    void theLastFreeVhidIs255() {
        var claims = new java.util.ArrayList<VipClaim>();
        for (int v = 1; v <= 254; v++) {
            claims.add(claim("v" + v, v, "198.51.100.10/24", null, v));
        }
        var self = claim("late", 1000, "198.51.100.99/24", null, null);
        claims.add(self);
        assertThat(VhidAllocator.decide(self, claims)).isEqualTo(new VhidAllocator.Allocated(255));
    }
}
