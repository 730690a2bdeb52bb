package io.carpoperator.api;

import java.util.Optional;

/**
 * An IPv4 address with a prefix length, parsed strictly: "198.51.100.10/24". The one IPv4 parser of the code base,
 * for addresses alone too ({@link #parseAddress}, {@link #addressProblem}): four decimal numbers 0-255 separated by
 * dots, without leading zeros (inet_aton, and so ucarp and ping, would read "010" as octal 8) and nothing else, no
 * whitespace. The CRD's CEL patterns below state the same rule, so the API server and the operator agree.
 */
public record Ipv4Cidr(int address, int prefixLength) {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** An IPv4 address in dotted quad form; shared with the CRD's CEL rules so both layers agree. */
    public static final String CEL_ADDRESS_PATTERN = "^" + OCTET + "(\\\\." + OCTET + "){3}$";
    public static final String CEL_PATTERN = "^" + OCTET + "(\\\\." + OCTET + "){3}/(8|9|[12][0-9]|3[0-2])$";

    /** "255.255.255.255": the CRD's maxLength, which also bounds what its CEL regex may cost. */
    public static final int MAX_ADDRESS_LENGTH = 15;
    /** "255.255.255.255/32". */
    public static final int MAX_CIDR_LENGTH = MAX_ADDRESS_LENGTH + 3;

    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 32;

    /** A parsed address, or why the text is not one. */
    private record ParsedAddress(int value, String problem) {
    }

    public static boolean isAddress(String text) {
        return parsed(text).problem() == null;
    }

    /**
     * Why {@code text} is not an IPv4 address as this code base takes one, e.g. "'010' has a leading zero", for an
     * error that names the field and the value around it; empty when it is one.
     */
    public static Optional<String> addressProblem(String text) {
        return Optional.ofNullable(parsed(text).problem());
    }

    /** @throws IllegalArgumentException saying what is wrong with the text */
    public static int parseAddress(String text) {
        ParsedAddress parsed = parsed(text);
        if (parsed.problem() != null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: " + parsed.problem());
        }
        return parsed.value();
    }

    private static ParsedAddress parsed(String text) {
        if (text == null || text.isEmpty()) {
            return new ParsedAddress(0, "it is empty");
        }
        if (text.chars().anyMatch(Character::isWhitespace)) {
            return new ParsedAddress(0, "it contains whitespace");
        }
        if (text.contains(":")) {
            return new ParsedAddress(0, "it is an IPv6 address; IPv6 is not supported yet");
        }
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return new ParsedAddress(0, "it is not four numbers separated by dots");
        }
        int value = 0;
        for (String octet : octets) {
            if (octet.isEmpty()) {
                return new ParsedAddress(0, "it has an empty part");
            }
            if (!octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new ParsedAddress(0, "'" + octet + "' is not a decimal number");
            }
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                return new ParsedAddress(0, "'" + octet + "' has a leading zero, which inet_aton would read as octal");
            }
            if (octet.length() > 3 || Integer.parseInt(octet) > 255) {
                return new ParsedAddress(0, "'" + octet + "' is above 255");
            }
            value = (value << 8) | Integer.parseInt(octet);
        }
        return new ParsedAddress(value, null);
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
        ParsedAddress address = parsed(addressPart);
        if (address.problem() != null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address with a prefix, e.g. 192.168.10.1/24: "
                    + address.problem());
        }
        if (!prefixPart.chars().allMatch(c -> c >= '0' && c <= '9') || prefixPart.isEmpty() || prefixPart.length() > 2
                || (prefixPart.length() > 1 && prefixPart.charAt(0) == '0')) {
            throw new IllegalArgumentException("'" + text + "' has prefix length '" + prefixPart + "', which is not a number 8-32");
        }
        int prefix = Integer.parseInt(prefixPart);
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + ", outside " + MIN_PREFIX + "-" + MAX_PREFIX);
        }
        return new Ipv4Cidr(address.value(), prefix);
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
