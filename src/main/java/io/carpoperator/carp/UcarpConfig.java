package io.carpoperator.carp;

import io.carpoperator.api.Ipv4Cidr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Everything one ucarp instance needs. Validated on construction; every message names the field and the value.
 *
 * @param xparam extra argument ucarp passes to the hooks as $3; null for none
 */
public record UcarpConfig(String interfaceName, String sourceAddress, int vhid, Path passfile, String virtualAddress,
                          int prefixLength, int advbase, int advskew, boolean preempt, boolean neutral,
                          Path upScript, Path downScript, String xparam) {

    /** Linux IFNAMSIZ is 16 including the terminating NUL. */
    private static final int MAX_INTERFACE_BYTES = 15;

    public UcarpConfig {
        requireInterface(interfaceName);
        requireIpv4("sourceAddress", sourceAddress);
        requireRange("vhid", vhid, 1, 255);
        requireNonNull("passfile", passfile);
        requireIpv4("virtualAddress", virtualAddress);
        requireRange("prefixLength", prefixLength, 8, 32);
        requireRange("advbase", advbase, 1, 255);
        requireRange("advskew", advskew, 0, 255);
        requireNonNull("upScript", upScript);
        requireNonNull("downScript", downScript);
        if (sourceAddress.equals(virtualAddress)) {
            throw new IllegalArgumentException("virtualAddress must differ from sourceAddress, both are " + virtualAddress);
        }
        if (xparam != null && (xparam.isEmpty() || xparam.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("xparam must be a single non-empty word, got '" + xparam + "'");
        }
    }

    /** The usual configuration: the prefix length is passed to the hooks as xparam. */
    public static UcarpConfig withPrefixAsXparam(String interfaceName, String sourceAddress, int vhid, Path passfile,
                                                 String virtualAddress, int prefixLength, int advbase, int advskew,
                                                 boolean preempt, boolean neutral, Path upScript, Path downScript) {
        return new UcarpConfig(interfaceName, sourceAddress, vhid, passfile, virtualAddress, prefixLength, advbase,
                advskew, preempt, neutral, upScript, downScript, Integer.toString(prefixLength));
    }

    /** e.g. "vip 198.51.100.10 vhid 99", the prefix of every log line about this instance. */
    public String label() {
        return "vip " + virtualAddress + " vhid " + vhid;
    }

    private static void requireInterface(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interfaceName must not be empty, got '" + name + "'");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_BYTES) {
            throw new IllegalArgumentException("interfaceName must be at most " + MAX_INTERFACE_BYTES
                    + " bytes, got '" + name + "' (" + name.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        }
        if (name.contains("/") || name.chars().anyMatch(Character::isWhitespace) || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interfaceName must not contain '/' or whitespace, got '" + name + "'");
        }
    }

    private static void requireIpv4(String field, String value) {
        Ipv4Cidr.addressProblem(value).ifPresent(problem -> {
            throw new IllegalArgumentException(field + " must be an IPv4 address like 198.51.100.10, got '" + value + "' ("
                    + problem + ")");
        });
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requireNonNull(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
