package io.carpoperator.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of a single VirtualIP spec, the same ones the CRD schema enforces, checked again in the operator because
 * not every API server runs CEL and the schema cannot check network/broadcast addresses.
 * Rules that need other resources (duplicates, VHID conflicts, the Secret) live in the operator.
 */
public final class SpecValidator {
    public static final int MAX_INTERFACE_NAME_BYTES = 15;
    public static final int MAX_PASSWORD_BYTES = 19;
    /** A Node's name is a DNS subdomain. */
    public static final int MAX_NODE_NAME_LENGTH = 253;

    private SpecValidator() {
    }

    public static List<FieldProblem> validate(VirtualIPSpec spec) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec == null) {
            problems.add(new FieldProblem("spec", "is missing"));
            return problems;
        }
        checkAddress(spec.address, problems);
        checkInterface(spec.interfaceName, problems);
        if (spec.vhid != null && (spec.vhid < 1 || spec.vhid > 255)) {
            problems.add(new FieldProblem("spec.vhid", spec.vhid + " is outside 1-255"));
        }
        checkPreferredNodes(spec.preferredNodes, problems);
        if (spec.advertisement != null) {
            Integer interval = spec.advertisement.intervalSeconds;
            if (interval != null && (interval < 1 || interval > 255)) {
                problems.add(new FieldProblem("spec.advertisement.intervalSeconds", interval + " is outside 1-255"));
            }
            Integer skew = spec.advertisement.skew;
            if (skew != null && (skew < 0 || skew > AdvertisementSpec.MAX_SKEW)) {
                problems.add(new FieldProblem("spec.advertisement.skew", skew + " is outside 0-" + AdvertisementSpec.MAX_SKEW));
            }
        }
        if (spec.passwordSecretRef == null) {
            problems.add(new FieldProblem("spec.passwordSecretRef", "is required: there is no built-in CARP password"));
        } else {
            if (blank(spec.passwordSecretRef.name)) {
                problems.add(new FieldProblem("spec.passwordSecretRef.name", "is empty"));
            }
            if (blank(spec.passwordSecretRef.key)) {
                problems.add(new FieldProblem("spec.passwordSecretRef.key", "is empty"));
            }
        }
        checkIsolation(spec.isolation, problems);
        if (spec.gratuitousArp != null && spec.gratuitousArp.intervalSeconds != null && spec.gratuitousArp.intervalSeconds < 0) {
            problems.add(new FieldProblem("spec.gratuitousArp.intervalSeconds", spec.gratuitousArp.intervalSeconds + " is negative"));
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

    private static void checkAddress(String address, List<FieldProblem> problems) {
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(address);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("spec.address", e.getMessage()));
            return;
        }
        if (cidr.isNetworkAddress()) {
            problems.add(new FieldProblem("spec.address", "'" + address + "' is the network address of " + cidr.subnet()));
        } else if (cidr.isBroadcastAddress()) {
            problems.add(new FieldProblem("spec.address", "'" + address + "' is the broadcast address of " + cidr.subnet()));
        }
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
        }
    }

    private static void checkPreferredNodes(List<String> nodes, List<FieldProblem> problems) {
        if (nodes == null) {
            return;
        }
        if (nodes.size() > VirtualIPSpec.MAX_PREFERRED_NODES) {
            problems.add(new FieldProblem("spec.preferredNodes", "lists " + nodes.size() + " nodes; at most " + VirtualIPSpec.MAX_PREFERRED_NODES));
        }
        Set<String> seen = new HashSet<>();
        for (String node : nodes) {
            if (blank(node)) {
                problems.add(new FieldProblem("spec.preferredNodes", "contains an empty node name"));
            } else if (node.length() > MAX_NODE_NAME_LENGTH) {
                problems.add(new FieldProblem("spec.preferredNodes", "'" + node.substring(0, 20) + "...' is " + node.length()
                        + " characters; a node name has at most " + MAX_NODE_NAME_LENGTH));
            } else if (!seen.add(node)) {
                problems.add(new FieldProblem("spec.preferredNodes", "lists '" + node + "' more than once"));
            }
        }
    }

    private static void checkIsolation(IsolationSpec isolation, List<FieldProblem> problems) {
        if (isolation == null) {
            return;
        }
        if (isolation.hosts != null) {
            if (isolation.hosts.size() > IsolationSpec.MAX_HOSTS) {
                problems.add(new FieldProblem("spec.isolation.hosts", "lists " + isolation.hosts.size() + " hosts; at most " + IsolationSpec.MAX_HOSTS));
            }
            if (new HashSet<>(isolation.hosts).size() != isolation.hosts.size()) {
                problems.add(new FieldProblem("spec.isolation.hosts", isolation.hosts + " lists a host twice"));
            }
            for (String host : isolation.hosts) {
                if (!Ipv4Cidr.isAddress(host)) {
                    problems.add(new FieldProblem("spec.isolation.hosts", "'" + host + "' is not an IPv4 address"));
                }
            }
        }
        if (isolation.holdLimit != null && isolation.holdLimit < 1) {
            problems.add(new FieldProblem("spec.isolation.holdLimit", isolation.holdLimit + " is less than 1"));
        }
        if (isolation.recoverAfter != null && isolation.recoverAfter < 1) {
            problems.add(new FieldProblem("spec.isolation.recoverAfter", isolation.recoverAfter + " is less than 1"));
        }
        if (isolation.probeIntervalMillis != null && isolation.probeIntervalMillis < IsolationSpec.MIN_PROBE_INTERVAL_MILLIS) {
            problems.add(new FieldProblem("spec.isolation.probeIntervalMillis",
                    isolation.probeIntervalMillis + " is less than " + IsolationSpec.MIN_PROBE_INTERVAL_MILLIS));
        }
        if (isolation.probes != null) {
            if (isolation.probes.isEmpty()) {
                problems.add(new FieldProblem("spec.isolation.probes", "is empty; list ICMP, ARP or both"));
            } else if (new HashSet<>(isolation.probes).size() != isolation.probes.size()) {
                problems.add(new FieldProblem("spec.isolation.probes", isolation.probes + " lists a probe twice"));
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
