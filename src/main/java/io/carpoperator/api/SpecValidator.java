package io.carpoperator.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a single VirtualIP spec: every rule of the CRD schema again, because a cluster may run an older CRD, not
 * every API server runs CEL and users apply with --validate=false; plus rules no schema expresses. Types and enum
 * values are checked while reading ({@link TolerantJson}); what could not be read comes first.
 * Rules that need other resources (duplicate addresses, VHID conflicts, the Secret, the nodeSelector) live in the operator.
 * <p>
 * Schema rule (crds/virtualips.carp-operator.io-v1.yml) → Java check:
 * <ul>
 * <li>types (string, integer, boolean, array, object) and {@code probes} items enum ARP/ICMP → {@link TolerantJson}</li>
 * <li>required address, passwordSecretRef, passwordSecretRef.name/key → "is required" / "is empty"</li>
 * <li>address CEL IPv4 with prefix 8-32 → {@link Ipv4Cidr#parse}</li>
 * <li>interface minLength 1, maxLength 15, CEL no '/' or whitespace → {@link #checkInterface}</li>
 * <li>vhid 1-255; advertisement.intervalSeconds 1-255, skew 0-200; gratuitousArp.intervalSeconds 0-3600 → ranges</li>
 * <li>preferredNodes maxItems 64, CEL no duplicates → {@link #checkPreferredNodes}</li>
 * <li>passwordSecretRef.name/key minLength 1, maxLength 253 → {@link #checkSecretRef}</li>
 * <li>isolation.hosts maxItems 8, CEL IPv4 items; probeIntervalMillis 100-600000, holdLimit and recoverAfter 1-100,
 * probes minItems 1, maxItems 2 → {@link #checkIsolation}</li>
 * </ul>
 * Beyond the schema: address and isolation hosts are no network, broadcast, loopback, multicast or reserved address;
 * isolation hosts are not the VIP itself nor listed twice, and no probe twice; preferredNodes are node names
 * (DNS-1123 subdomains of at most 253 characters); interface names follow Linux (not "." or "..", no ':');
 * passwordSecretRef names a possible Secret (DNS-1123 subdomain) and key ([-._a-zA-Z0-9]+).
 */
public final class SpecValidator {
    public static final int MAX_INTERFACE_NAME_BYTES = 15;
    public static final int MAX_PASSWORD_BYTES = 19;
    public static final int MAX_ISOLATION_HOSTS = 8;
    public static final int MAX_PREFERRED_NODES = 64;
    public static final int MAX_NAME_LENGTH = 253;
    public static final int MAX_PROBE_INTERVAL_MILLIS = 600_000;
    public static final int MAX_VERDICT_COUNT = 100;
    public static final int MAX_GARP_INTERVAL_SECONDS = 3600;
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private SpecValidator() {
    }

    public static List<FieldProblem> validate(VirtualIPSpec spec) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec == null) {
            problems.add(new FieldProblem("spec", "is missing"));
            return problems;
        }
        if (spec.unread != null) {
            spec.unread.stream().filter(u -> !u.unknownField()).map(UnreadValue::problem).forEach(problems::add);
        }
        Ipv4Cidr vip = checkAddress(spec.address, problems);
        checkInterface(spec.interfaceName, problems);
        checkRange("spec.vhid", spec.vhid, 1, 255, problems);
        checkPreferredNodes(spec.preferredNodes, problems);
        if (spec.advertisement != null) {
            checkRange("spec.advertisement.intervalSeconds", spec.advertisement.intervalSeconds, 1, 255, problems);
            checkRange("spec.advertisement.skew", spec.advertisement.skew, 0, AdvertisementSpec.MAX_SKEW, problems);
        }
        checkSecretRef(spec.passwordSecretRef, problems);
        checkIsolation(spec.isolation, vip, problems);
        if (spec.gratuitousArp != null) {
            checkRange("spec.gratuitousArp.intervalSeconds", spec.gratuitousArp.intervalSeconds, 0, MAX_GARP_INTERVAL_SECONDS, problems);
        }
        return problems;
    }

    /** The CARP password as ucarp will read it from its passfile. */
    public static List<FieldProblem> checkPassword(String field, byte[] password) {
        List<FieldProblem> problems = new ArrayList<>();
        if (password == null || password.length == 0) {
            problems.add(new FieldProblem(field, "the password is empty"));
        } else if (password.length > MAX_PASSWORD_BYTES) {
            problems.add(new FieldProblem(field, "the password is " + password.length + " bytes; CARP allows at most " + MAX_PASSWORD_BYTES));
        } else if (new String(password, StandardCharsets.UTF_8).contains("\n")) {
            problems.add(new FieldProblem(field, "the password contains a line break; ucarp reads only the first line"));
        }
        return problems;
    }

    /** The parsed address when it is one, for the rules that relate other fields to it. */
    private static Ipv4Cidr checkAddress(String address, List<FieldProblem> problems) {
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(address);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("spec.address", e.getMessage()));
            return null;
        }
        if (cidr.isNetworkAddress()) {
            problems.add(new FieldProblem("spec.address", "'" + address + "' is the network address of " + cidr.subnet()));
        } else if (cidr.isBroadcastAddress()) {
            problems.add(new FieldProblem("spec.address", "'" + address + "' is the broadcast address of " + cidr.subnet()));
        } else {
            specialUse(cidr.address()).ifPresent(kind -> problems.add(new FieldProblem("spec.address", "'" + address + "' is " + kind)));
        }
        return cidr;
    }

    /** Addresses that can neither float between hosts nor tell whether a host is cut off. */
    static Optional<String> specialUse(int address) {
        int first = (address >>> 24) & 0xff;
        if (first == 0) {
            return Optional.of("in 0.0.0.0/8, which means 'this host'");
        } else if (first == 127) {
            return Optional.of("a loopback address (127.0.0.0/8)");
        } else if (first >= 224 && first <= 239) {
            return Optional.of("a multicast address (224.0.0.0/4)");
        } else if (first >= 240) {
            return Optional.of("a reserved or broadcast address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static void checkRange(String field, Integer value, int min, int max, List<FieldProblem> problems) {
        if (value != null && (value < min || value > max)) {
            problems.add(new FieldProblem(field, value + " is outside " + min + "-" + max));
        }
    }

    private static void checkSecretRef(SecretKeyRef ref, List<FieldProblem> problems) {
        if (ref == null) {
            problems.add(new FieldProblem("spec.passwordSecretRef", "is required: there is no built-in CARP password"));
            return;
        }
        if (blank(ref.name)) {
            problems.add(new FieldProblem("spec.passwordSecretRef.name", "is empty"));
        } else if (ref.name.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem("spec.passwordSecretRef.name", "'" + abbreviate(ref.name) + "' is " + ref.name.length()
                    + " characters; at most " + MAX_NAME_LENGTH));
        } else if (!DNS_SUBDOMAIN.matcher(ref.name).matches()) {
            problems.add(new FieldProblem("spec.passwordSecretRef.name", "'" + ref.name
                    + "' is not a Secret name (lower-case letters, digits, '-' and '.', starting and ending alphanumeric)"));
        }
        if (blank(ref.key)) {
            problems.add(new FieldProblem("spec.passwordSecretRef.key", "is empty"));
        } else if (ref.key.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem("spec.passwordSecretRef.key", "'" + abbreviate(ref.key) + "' is " + ref.key.length()
                    + " characters; at most " + MAX_NAME_LENGTH));
        } else if (!SECRET_KEY.matcher(ref.key).matches()) {
            problems.add(new FieldProblem("spec.passwordSecretRef.key", "'" + ref.key
                    + "' is not a Secret key (letters, digits, '-', '_' and '.')"));
        }
    }

    /** The start of a name too long to show whole; only names longer than {@link #MAX_NAME_LENGTH} come here. */
    private static String abbreviate(String text) {
        return text.substring(0, 37) + "...";
    }

    private static void checkInterface(String name, List<FieldProblem> problems) {
        if (name == null) {
            return;
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isEmpty()) {
            problems.add(new FieldProblem("spec.interface", "is empty; omit it to pick the interface from the address"));
        } else if (bytes > MAX_INTERFACE_NAME_BYTES) {
            problems.add(new FieldProblem("spec.interface", "'" + name + "' is " + bytes + " bytes; Linux allows at most " + MAX_INTERFACE_NAME_BYTES));
        } else if (name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            problems.add(new FieldProblem("spec.interface", "'" + name + "' contains '/' or whitespace"));
        } else if (name.contains(":") || name.equals(".") || name.equals("..")) {
            // the kernel's dev_valid_name(); ':' marks an address label, not an interface
            problems.add(new FieldProblem("spec.interface", "'" + name + "' is not a Linux interface name"));
        }
    }

    private static void checkPreferredNodes(List<String> nodes, List<FieldProblem> problems) {
        if (nodes == null) {
            return;
        }
        if (nodes.size() > MAX_PREFERRED_NODES) {
            problems.add(new FieldProblem("spec.preferredNodes", "lists " + nodes.size() + " nodes; at most " + MAX_PREFERRED_NODES));
        }
        Set<String> seen = new HashSet<>();
        for (String node : nodes) {
            if (blank(node)) {
                problems.add(new FieldProblem("spec.preferredNodes", "contains an empty node name"));
            } else if (node.length() > MAX_NAME_LENGTH) {
                problems.add(new FieldProblem("spec.preferredNodes", "'" + abbreviate(node) + "' is " + node.length()
                        + " characters; node names have at most " + MAX_NAME_LENGTH));
            } else if (!DNS_SUBDOMAIN.matcher(node).matches()) {
                problems.add(new FieldProblem("spec.preferredNodes", "'" + node
                        + "' is not a node name (lower-case letters, digits, '-' and '.', starting and ending alphanumeric)"));
            } else if (!seen.add(node)) {
                problems.add(new FieldProblem("spec.preferredNodes", "lists '" + node + "' more than once"));
            }
        }
    }

    private static void checkIsolation(IsolationSpec isolation, Ipv4Cidr vip, List<FieldProblem> problems) {
        if (isolation == null) {
            return;
        }
        if (isolation.hosts != null) {
            if (isolation.hosts.size() > MAX_ISOLATION_HOSTS) {
                problems.add(new FieldProblem("spec.isolation.hosts", "lists " + isolation.hosts.size() + " hosts; at most " + MAX_ISOLATION_HOSTS));
            }
            Set<String> seen = new HashSet<>();
            for (String host : isolation.hosts) {
                Optional<String> notAnAddress = Ipv4Cidr.addressProblem(host);
                if (notAnAddress.isPresent()) {
                    problems.add(new FieldProblem("spec.isolation.hosts", "'" + host + "' is not an IPv4 address: " + notAnAddress.get()));
                } else if (!seen.add(host)) {
                    problems.add(new FieldProblem("spec.isolation.hosts", "lists '" + host + "' more than once"));
                } else {
                    checkIsolationHost(host, vip, problems);
                }
            }
        }
        checkRange("spec.isolation.holdLimit", isolation.holdLimit, 1, MAX_VERDICT_COUNT, problems);
        checkRange("spec.isolation.recoverAfter", isolation.recoverAfter, 1, MAX_VERDICT_COUNT, problems);
        checkRange("spec.isolation.probeIntervalMillis", isolation.probeIntervalMillis, IsolationSpec.MIN_PROBE_INTERVAL_MILLIS,
                MAX_PROBE_INTERVAL_MILLIS, problems);
        if (isolation.probes != null) {
            if (isolation.probes.isEmpty()) {
                problems.add(new FieldProblem("spec.isolation.probes", "is empty; list ICMP, ARP or both"));
            } else if (isolation.probes.stream().anyMatch(java.util.Objects::isNull)) {
                problems.add(new FieldProblem("spec.isolation.probes", isolation.probes + " contains an empty entry; list ICMP, ARP or both"));
            } else if (new HashSet<>(isolation.probes).size() != isolation.probes.size()) {
                problems.add(new FieldProblem("spec.isolation.probes", isolation.probes + " lists a probe twice"));
            }
        }
    }

    private static void checkIsolationHost(String host, Ipv4Cidr vip, List<FieldProblem> problems) {
        unusableProbeTarget(Ipv4Cidr.parseAddress(host), vip)
                .ifPresent(why -> problems.add(new FieldProblem("spec.isolation.hosts", "'" + host + "' is " + why)));
    }

    /**
     * Why an address cannot tell the watchdog whether a node is cut off, if it cannot: it always answers (the VIP itself,
     * from whichever node holds it; loopback) or answers from many hosts or none (network, broadcast, multicast).
     *
     * @param vip the VirtualIP's address, or null when unknown
     */
    public static Optional<String> unusableProbeTarget(int address, Ipv4Cidr vip) {
        var special = specialUse(address);
        if (special.isPresent()) {
            return special;
        } else if (vip != null && address == vip.address()) {
            return Optional.of("the VirtualIP's own address; it would answer from whichever node holds it, so isolation could never be seen");
        } else if (vip != null && vip.prefixLength() <= 30 && address == vip.network()) {
            return Optional.of("the network address of " + vip.subnet());
        } else if (vip != null && vip.prefixLength() <= 30 && address == vip.broadcast()) {
            return Optional.of("the broadcast address of " + vip.subnet());
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
