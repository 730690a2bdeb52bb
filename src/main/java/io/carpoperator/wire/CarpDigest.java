package io.carpoperator.wire;

import io.carpoperator.api.Ipv4Cidr;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a CARP advert's HMAC as ucarp 1.5.2 does (src/carp.c, carp_hmac_prepare and carp_hmac_generate): HMAC-SHA1
 * keyed with the password (at most {@link #KEY_LENGTH} bytes, zero-padded), over the version byte 2, the type byte 1,
 * the vhid byte, the virtual IPv4 address (4 bytes, network order) and the advert's 8 counter bytes. ucarp pads its
 * 20-byte key with zeros to the 64-byte SHA-1 block by hand; javax.crypto's HmacSHA1 does the same with a shorter key,
 * so the two agree. ucarp refuses passwords of 20 bytes or more ("Password too long"), so the truncation here never
 * changes a key ucarp would run with.
 */
public final class CarpDigest {

    /** CARP_KEY_LEN. */
    public static final int KEY_LENGTH = 20;

    private CarpDigest() {
    }

    /**
     * Whether the advert was made by a CARP speaker with this password for this virtual address (and the advert's vhid),
     * and has CARP version 2, the only one ucarp accepts.
     *
     * @throws IllegalArgumentException when {@code virtualAddress} is not an IPv4 address
     */
    public static boolean authenticates(CarpAdvert advert, String password, String virtualAddress) {
        Ipv4Cidr.addressProblem(virtualAddress).ifPresent(problem -> {
            throw new IllegalArgumentException("virtual address '" + virtualAddress + "' is not an IPv4 address: " + problem);
        });
        if (advert.version() != CarpAdvert.CARP_VERSION) {
            return false;
        }
        byte[] expected = digest(password, advert.vhid(), Ipv4Cidr.parseAddress(virtualAddress), advert.counter());
        return MessageDigest.isEqual(expected, advert.digest());
    }

    static byte[] digest(String password, int vhid, int virtualAddress, long counter) {
        byte[] bytes = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(bytes, Math.min(KEY_LENGTH, bytes.length));
        if (key.length == 0) {
            // SecretKeySpec refuses an empty key; one zero byte pads to the same all-zero block.
            key = new byte[1];
        }
        ByteBuffer message = ByteBuffer.allocate(3 + 4 + 8)
                .put((byte) CarpAdvert.CARP_VERSION)
                .put((byte) CarpAdvert.TYPE_ADVERTISEMENT)
                .put((byte) vhid)
                .putInt(virtualAddress)
                .putLong(counter);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(message.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime, yet: " + e.getMessage(), e);
        }
    }
}
