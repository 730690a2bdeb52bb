package io.carpoperator.api;

import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 address with a prefix length, parsed strictly: "198.51.100.10/24". */
public record Ipv4Cidr(int address, int prefixLength) {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** An IPv4 address in dotted quad form; shared with the CRD's CEL rules so both layers agree. */
    public static final String CEL_ADDRESS_PATTERN = "^" + OCTET + "(\\\\." + OCTET + "){3}$";
    public static final String CEL_PATTERN = "^" + OCTET + "(\\\\." + OCTET + "){3}/(8|9|[12][0-9]|3[0-2])$";
    private static final Pattern ADDRESS = Pattern.compile("^" + OCTET + "(\\." + OCTET + "){3}$");

    /** "255.255.255.255": the CRD's maxLength, which also bounds what its CEL regex may cost. */
    public static final int MAX_ADDRESS_LENGTH = 15;
    /** "255.255.255.255/32". */
    public static final int MAX_CIDR_LENGTH = MAX_ADDRESS_LENGTH + 3;

    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 32;

    public static boolean isAddress(String text) {
        return text != null && ADDRESS.matcher(text).matches();
    }

    public static int parseAddress(String text) {
        if (!isAddress(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int value = 0;
        for (String octet : text.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    /** Parses "a.b.c.d/p"; the message of the exception says what is wrong with the text. */
    public static Ipv4Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty; expected an IPv4 address with a prefix, e.g. 192.168.10.1/24");
        }
        if (text.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is an IPv6 address; IPv6 is not supported yet");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length; expected e.g. " + text + "/24");
        }
        String addressPart = text.substring(0, slash);
        String prefixPart = text.substring(slash + 1);
        if (!isAddress(addressPart)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address with a prefix, e.g. 192.168.10.1/24");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(prefixPart);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has prefix length '" + prefixPart + "', which is not a number");
        }
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + ", outside " + MIN_PREFIX + "-" + MAX_PREFIX);
        }
        return new Ipv4Cidr(parseAddress(addressPart), prefix);
    }

    public static Optional<Ipv4Cidr> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public int network() {
        return address & netmask();
    }

    public int broadcast() {
        return network() | ~netmask();
    }

    /** /31 and /32 have no network or broadcast address to avoid (RFC 3021). */
    public boolean isNetworkAddress() {
        return prefixLength <= 30 && address == network();
    }

    public boolean isBroadcastAddress() {
        return prefixLength <= 30 && address == broadcast();
    }

    public boolean contains(int otherAddress) {
        return (otherAddress & netmask()) == network();
    }

    public String addressText() {
        return format(address);
    }

    /** The subnet in canonical form, e.g. "198.51.100.0/24": the key under which VHIDs must be unique. */
    public String subnet() {
        return format(network()) + "/" + prefixLength;
    }

    public static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }
}
