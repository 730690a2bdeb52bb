package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.Ipv4Cidr;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VhidAllocatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static VipClaim claim(String name, int ageRank, String address, Integer explicit, Integer recorded) {
        Ipv4Cidr cidr = Ipv4Cidr.parse(address);
        return new VipClaim(name, T0.plusSeconds(ageRank), recorded != null, cidr.address(), cidr.subnet(), explicit, recorded);
    }

    @Test
    void allocatesTheLowestFreeVhidOfTheSubnet() {
        var a = claim("a", 0, "198.51.100.10/24", null, 1);
        var b = claim("b", 1, "198.51.100.11/24", 3, null);
        var c = claim("c", 2, "198.51.100.12/24", null, null);
        assertThat(VhidAllocator.decide(c, List.of(a, b, c))).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void otherSubnetsDoNotTakeVhids() {
        var other = claim("other", 0, "203.0.113.10/24", null, 1);
        var self = claim("self", 1, "198.51.100.10/24", null, null);
        assertThat(VhidAllocator.decide(self, List.of(other, self))).isEqualTo(new VhidAllocator.Allocated(1));
    }

    @Test
    void keepsAnAllocatedVhidEvenWhenALowerOneFreesUp() {
        var self = claim("self", 1, "198.51.100.10/24", null, 7);
        assertThat(VhidAllocator.decide(self, List.of(self))).isEqualTo(new VhidAllocator.Allocated(7));
    }

    @Test
    void newerExplicitVhidAlreadyUsedOnTheSubnetIsRejectedAndTheOlderKeepsIt() {
        var older = claim("older", 0, "198.51.100.10/24", 99, 99);
        var newer = claim("newer", 1, "198.51.100.20/24", 99, null);
        assertThat(VhidAllocator.decide(older, List.of(older, newer))).isEqualTo(new VhidAllocator.Allocated(99));
        var decision = VhidAllocator.decide(newer, List.of(older, newer));
        assertThat(decision).isInstanceOf(VhidAllocator.Rejected.class);
        assertThat(((VhidAllocator.Rejected) decision).problem())
                .hasToString("spec.vhid: 99 is already used by VirtualIP 'older' on subnet 198.51.100.0/24");
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
        var serving = new VipClaim("zeta", T0, true, cidr.address(), cidr.subnet(), null, 1);
        var newcomer = new VipClaim("alpha", T0, false, cidr.address(), cidr.subnet(), null, null);
        assertThat(VhidAllocator.duplicateAddress(serving, List.of(serving, newcomer))).isEmpty();
        assertThat(VhidAllocator.duplicateAddress(newcomer, List.of(serving, newcomer))).isPresent();
    }

    @Test
    void reportsWhenTheSubnetHasNoFreeVhid() {
        var claims = new java.util.ArrayList<VipClaim>();
        for (int v = 1; v <= 255; v++) {
            claims.add(claim("v" + v, v, "198.51.100.10/24", null, v));
        }
        var self = claim("late", 1000, "198.51.100.99/24", null, null);
        claims.add(self);
        assertThat(VhidAllocator.decide(self, claims)).isInstanceOf(VhidAllocator.Rejected.class);
    }
}
