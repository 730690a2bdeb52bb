package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.ProbeType;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.watchdog.ProbeKind;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the operator's status.resolved block, the password and the other nodes' addresses into one node's
 * {@link VipSettings}. The operator wrote the block from a validated spec; it is checked again here because a
 * malformed one must leave the running VIP alone rather than start something broken.
 */
public final class ResolvedVipSettings {
    static final int MAX_VHID = 255;
    static final int MAX_ADVSKEW = 255;
    static final int MIN_PROBE_INTERVAL_MILLIS = 100;

    private ResolvedVipSettings() {
    }

    /**
     * @param peers      the other nodes' addresses on the VIP network
     * @param heartbeats the other nodes' addresses on another path
     * @throws IllegalArgumentException naming the status.resolved field and its value when the block is unusable
     */
    public static VipSettings build(String vipName, String node, ResolvedConfig resolved, String password, List<String> peers,
            List<String> heartbeats) {
        if (resolved == null) {
            throw new IllegalArgumentException("status.resolved is missing");
        }
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(resolved.address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status.resolved.address: " + e.getMessage());
        }
        ResolvedConfig.ResolvedNode entry = resolved.nodes == null ? null
                : resolved.nodes.stream().filter(n -> n != null && node.equals(n.name)).findFirst().orElse(null);
        if (entry == null) {
            throw new IllegalArgumentException("status.resolved.nodes does not list node " + node);
        }
        int vhid = required("status.resolved.vhid", resolved.vhid, 1, MAX_VHID);
        int advbase = required("status.resolved.advertisementIntervalSeconds", resolved.advertisementIntervalSeconds, 1, 255);
        int advskew = required("status.resolved.nodes[" + node + "].advskew", entry.advskew, 0, MAX_ADVSKEW);
        int probeInterval = required("status.resolved.probeIntervalMillis", resolved.probeIntervalMillis,
                MIN_PROBE_INTERVAL_MILLIS, Integer.MAX_VALUE);
        int holdLimit = required("status.resolved.holdLimit", resolved.holdLimit, 1, Integer.MAX_VALUE);
        int recoverAfter = required("status.resolved.recoverAfter", resolved.recoverAfter, 1, Integer.MAX_VALUE);
        int garpSeconds = required("status.resolved.gratuitousArpIntervalSeconds", resolved.gratuitousArpIntervalSeconds, 0,
                Integer.MAX_VALUE);
        List<String> isolationHosts = resolved.isolationHosts == null ? List.of() : resolved.isolationHosts;
        for (String host : isolationHosts) {
            Ipv4Cidr.addressProblem(host).ifPresent(problem -> {
                throw new IllegalArgumentException("status.resolved.isolationHosts: '" + host + "' is not an IPv4 address: " + problem);
            });
        }
        String interfaceName = resolved.interfaceName == null || resolved.interfaceName.isBlank() ? null : resolved.interfaceName;
        return new VipSettings(vipName, cidr.addressText(), cidr.prefixLength(), interfaceName, null, vhid,
                Boolean.TRUE.equals(resolved.preempt), advbase, advskew, password, !Boolean.FALSE.equals(resolved.isolationEnabled),
                peers, heartbeats, isolationHosts, probeKinds(resolved.probes), Duration.ofMillis(probeInterval), holdLimit,
                recoverAfter, Duration.ofSeconds(garpSeconds));
    }

    /**
     * The CARP password from the Secret's key, checked as ucarp needs it.
     *
     * @throws IllegalArgumentException saying which Secret or key is wrong and why
     */
    public static String password(SecretKeyRef ref, String namespace, Secret secret) {
        if (ref == null || ref.name == null || ref.key == null) {
            throw new IllegalArgumentException("status.resolved.passwordSecretRef is missing");
        }
        if (secret == null) {
            throw new IllegalArgumentException("Secret '" + ref.name + "' not found in namespace " + namespace);
        }
        byte[] password = bytes(ref, secret);
        List<FieldProblem> problems = SpecValidator.checkPassword("key", password);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Secret '" + ref.name + "' key '" + ref.key + "': " + problems.get(0).message());
        }
        return new String(password, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(SecretKeyRef ref, Secret secret) {
        Map<String, String> data = secret.getData();
        String encoded = data == null ? null : data.get(ref.key);
        if (encoded != null) {
            try {
                return Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Secret '" + ref.name + "' key '" + ref.key + "' is not valid base64");
            }
        }
        Map<String, String> stringData = secret.getStringData();
        if (stringData != null && stringData.get(ref.key) != null) {
            return stringData.get(ref.key).getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("Secret '" + ref.name + "' has no key '" + ref.key + "'");
    }

    private static Set<ProbeKind> probeKinds(List<ProbeType> probes) {
        if (probes == null || probes.isEmpty()) {
            return EnumSet.allOf(ProbeKind.class);
        }
        Set<ProbeKind> kinds = EnumSet.noneOf(ProbeKind.class);
        for (ProbeType probe : probes) {
            if (probe == null) {
                throw new IllegalArgumentException("status.resolved.probes contains an empty entry");
            }
            kinds.add(ProbeKind.valueOf(probe.name()));
        }
        return kinds;
    }

    private static int required(String field, Integer value, int min, int max) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value
                    + (max == Integer.MAX_VALUE ? " is less than " + min : " is outside " + min + "-" + max));
        }
        return value;
    }
}
