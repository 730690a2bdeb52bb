package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CarpAdvertTest {

    /**
     * Captured with carp-wire.pl's {@code listen} from ucarp 1.5.2 (Debian 12) in a lab namespace:
     * {@code ucarp -i wxb -s 198.51.100.212 -v 7 -p secret -a 198.51.100.250 -b 1}.
     */
    static final String VHID_7 = "21070007000102014370b886723a2c9a463046eba28ecad4cf9441ac9f1840d3149d41db";
    /** The next advert of the same ucarp, one second later. */
    static final String VHID_7_NEXT = "2107000700016c977b8e9c268a30367bd2b7f1ac588db40fdeba965cecac9c697db74d11";
    /**
     * {@code ucarp -i wxb -s 198.51.100.212 -v 200 -p 'p@ss-word-19-bytes!' -a 198.51.100.251 -b 2 -k 100}: the longest
     * password ucarp accepts, a vhid above 127, advskew and advbase other than the defaults.
     */
    static final String VHID_200 = "21c864070002ff2188db4e58481c1e5c1da1c5f163245ec790656251d74f0469a3e92588";

    static CarpAdvert advert(String hex) {
        return CarpAdvert.of(new WireEvent.Advert("wxa", "198.51.100.212", 255, hex));
    }

    @Test
    void aCapturedUcarpAdvertParsesIntoItsFields() {
        CarpAdvert advert = advert(VHID_7);

        assertThat(advert.interfaceName()).isEqualTo("wxa");
        assertThat(advert.source()).isEqualTo("198.51.100.212");
        assertThat(advert.ttl()).isEqualTo(255);
        assertThat(advert.version()).isEqualTo(2);
        assertThat(advert.type()).isEqualTo(1);
        assertThat(advert.vhid()).isEqualTo(7);
        assertThat(advert.advskew()).isZero();
        assertThat(advert.advbase()).isEqualTo(1);
        assertThat(advert.counter()).isEqualTo(0x4370b886723a2c9aL);
        assertThat(HexFormat.of().formatHex(advert.digest())).isEqualTo("463046eba28ecad4cf9441ac9f1840d3149d41db");
        assertThat(advert.checksumValid()).isTrue();

        CarpAdvert other = advert(VHID_200);
        assertThat(other.vhid()).isEqualTo(200);
        assertThat(other.advskew()).isEqualTo(100);
        assertThat(other.advbase()).isEqualTo(2);
        assertThat(other.counter()).as("unsigned on the wire, negative as a long").isNegative();
        assertThat(other.checksumValid()).isTrue();
    }

    @Test
    void aDamagedHeaderFailsItsChecksum() {
        String flipped = VHID_7.substring(0, 20) + "0" + VHID_7.substring(21);

        assertThat(advert(flipped).checksumValid()).isFalse();
        assertThat(advert(flipped).toString()).endsWith(", BAD CHECKSUM)");
    }

    @Test
    void somethingOtherThanA36ByteHeaderIsRefusedNamingSenderAndInterface() {
        String vrrp = "21010a01000105b2c6336464";
        assertThatThrownBy(() -> advert(vrrp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the advert from 198.51.100.212 on wxa is not a CARP header: expected 72 hex digits (36 bytes), got 24: '"
                        + vrrp + "'");
        String notHex = VHID_7.substring(0, 70) + "zz";
        assertThatThrownBy(() -> advert(notHex))
                .hasMessage("the advert from 198.51.100.212 on wxa is not a CARP header: 'z' at position 70 of '" + notHex
                        + "' is not a hex digit");
    }

    @Test
    void advertsAreValuesDespiteTheirDigestArray() {
        assertThat(advert(VHID_7)).isEqualTo(advert(VHID_7)).hasSameHashCodeAs(advert(VHID_7)).isNotEqualTo(advert(VHID_7_NEXT));
        CarpAdvert advert = advert(VHID_7);
        advert.digest()[0] = 0;
        assertThat(advert).as("the digest cannot be changed from outside").isEqualTo(advert(VHID_7));
        assertThat(advert.toString()).isEqualTo("CARP advert vhid 7 from 198.51.100.212 on wxa (v2 type 1, advbase 1, advskew 0, ttl 255, "
                + "counter 4370b886723a2c9a, digest 463046eba28ecad4cf9441ac9f1840d3149d41db)");
    }
}
