package io.carpoperator.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One CARP advertisement as it arrived on an interface: the fields of the 36-byte CARP header (the layout of
 * ucarp 1.5.2's {@code struct carp_header}) and where it came from.
 *
 * @param counter       the 8-byte replay counter, big-endian as on the wire
 * @param digest        the 20-byte HMAC-SHA1 ({@link CarpDigest})
 * @param checksumValid whether the header's internet checksum adds up (ucarp drops adverts where it does not)
 */
public record CarpAdvert(String interfaceName, String source, int ttl, int version, int type, int vhid, int advskew,
                         int advbase, long counter, byte[] digest, boolean checksumValid) {

    public static final int HEADER_LENGTH = 36;
    public static final int DIGEST_LENGTH = 20;
    public static final int CARP_VERSION = 2;
    public static final int TYPE_ADVERTISEMENT = 1;

    public CarpAdvert {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(source, "source");
        if (digest == null || digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("CARP digest must be " + DIGEST_LENGTH + " bytes, got "
                    + (digest == null ? "none" : digest.length));
        }
        digest = digest.clone();
    }

    /** Parses a {@code carp} event of the wire helper; throws, naming the sender and interface, when it is no CARP header. */
    public static CarpAdvert of(WireEvent.Advert event) {
        return parse(event.interfaceName(), event.source(), event.ttl(), event.hex());
    }

    public static CarpAdvert parse(String interfaceName, String source, int ttl, String hex) {
        String from = "the advert from " + source + " on " + interfaceName;
        if (hex == null || hex.length() != HEADER_LENGTH * 2) {
            throw new IllegalArgumentException(from + " is not a CARP header: expected " + HEADER_LENGTH * 2 + " hex digits ("
                    + HEADER_LENGTH + " bytes), got " + (hex == null ? "none" : hex.length() + ": '" + hex + "'"));
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(from + " is not a CARP header: '" + hex.charAt(i) + "' at position " + i
                        + " of '" + hex + "' is not a hex digit");
            }
        }
        byte[] header = HexFormat.of().parseHex(hex);
        long counter = 0;
        for (int i = 8; i < 16; i++) {
            counter = (counter << 8) | (header[i] & 0xff);
        }
        return new CarpAdvert(interfaceName, source, ttl,
                (header[0] & 0xff) >>> 4, header[0] & 0x0f, header[1] & 0xff, header[2] & 0xff, header[5] & 0xff,
                counter, Arrays.copyOfRange(header, 16, 36), internetChecksum(header) == 0);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The ones' complement sum over the header, checksum field included: zero when the checksum is right. */
    private static int internetChecksum(byte[] data) {
        int sum = 0;
        for (int i = 0; i + 1 < data.length; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CarpAdvert that
                && interfaceName.equals(that.interfaceName) && source.equals(that.source) && ttl == that.ttl
                && version == that.version && type == that.type && vhid == that.vhid && advskew == that.advskew
                && advbase == that.advbase && counter == that.counter && Arrays.equals(digest, that.digest)
                && checksumValid == that.checksumValid;
    }

    @Override
    public int hashCode() {
        return Objects.hash(interfaceName, source, ttl, version, type, vhid, advskew, advbase, counter,
                Arrays.hashCode(digest), checksumValid);
    }

    @Override
    public String toString() {
        return "CARP advert vhid " + vhid + " from " + source + " on " + interfaceName + " (v" + version + " type " + type
                + ", advbase " + advbase + ", advskew " + advskew + ", ttl " + ttl + ", counter " + HexFormat.of().toHexDigits(counter)
                + ", digest " + HexFormat.of().formatHex(digest) + (checksumValid ? "" : ", BAD CHECKSUM") + ")";
    }
}
