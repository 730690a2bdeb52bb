package io.carpoperator.wire;

import static io.carpoperator.wire.CarpAdvertTest.VHID_200;
import static io.carpoperator.wire.CarpAdvertTest.VHID_7;
import static io.carpoperator.wire.CarpAdvertTest.VHID_7_NEXT;
import static io.carpoperator.wire.CarpAdvertTest.advert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Against adverts captured from a real ucarp 1.5.2 (see {@link CarpAdvertTest} for how). */
class CarpDigestTest {

    @Test
    void realUcarpAdvertsAuthenticateWithTheirPasswordAndVirtualAddress() {
        assertThat(CarpDigest.authenticates(advert(VHID_7), "secret", "198.51.100.250")).isTrue();
        assertThat(CarpDigest.authenticates(advert(VHID_7_NEXT), "secret", "198.51.100.250")).isTrue();
        assertThat(CarpDigest.authenticates(advert(VHID_200), "p@ss-word-19-bytes!", "198.51.100.251")).isTrue();
    }

    @Test
    void aWrongPasswordDoesNotAuthenticate() {
        assertThat(CarpDigest.authenticates(advert(VHID_7), "Secret", "198.51.100.250")).isFalse();
        assertThat(CarpDigest.authenticates(advert(VHID_7), "", "198.51.100.250")).isFalse();
        assertThat(CarpDigest.authenticates(advert(VHID_200), "p@ss-word-19-bytes", "198.51.100.251")).isFalse();
    }

    @Test
    void aWrongVirtualAddressDoesNotAuthenticate() {
        assertThat(CarpDigest.authenticates(advert(VHID_7), "secret", "198.51.100.251")).isFalse();
        assertThat(CarpDigest.authenticates(advert(VHID_7), "secret", "198.51.100.212")).isFalse();
    }

    @Test
    void theSameDigestUnderAnotherVhidDoesNotAuthenticate() {
        String vhid8 = VHID_7.substring(0, 2) + "08" + VHID_7.substring(4);

        assertThat(advert(vhid8).vhid()).isEqualTo(8);
        assertThat(CarpDigest.authenticates(advert(vhid8), "secret", "198.51.100.250")).isFalse();
    }

    @Test
    void aDifferentCounterDoesNotAuthenticateWithTheOldDigest() {
        String replayedDigest = VHID_7_NEXT.substring(0, 32) + VHID_7.substring(32);

        assertThat(CarpDigest.authenticates(advert(replayedDigest), "secret", "198.51.100.250")).isFalse();
    }

    @Test
    void onlyCarpVersionTwoAuthenticatesAsInUcarp() {
        String version3 = "31" + VHID_7.substring(2);

        assertThat(CarpDigest.authenticates(advert(version3), "secret", "198.51.100.250")).isFalse();
    }

    @Test
    void theKeyIsThePasswordsFirstTwentyBytes() {
        String twenty = "abcdefghijklmnopqrst";

        assertThat(CarpDigest.digest(twenty + "and more", 7, 0xc63364fa, 1L)).isEqualTo(CarpDigest.digest(twenty, 7, 0xc63364fa, 1L));
        assertThat(CarpDigest.digest(twenty.substring(0, 19), 7, 0xc63364fa, 1L)).isNotEqualTo(CarpDigest.digest(twenty, 7, 0xc63364fa, 1L));
    }

    @Test
    void aVirtualAddressThatIsNoIpv4AddressIsRefusedNamingIt() {
        assertThatThrownBy(() -> CarpDigest.authenticates(advert(VHID_7), "secret", "198.51.100.250/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("virtual address '198.51.100.250/24' is not an IPv4 address: '250/24' is not a decimal number");
    }
}
