package io.carpoperator.operator;

import io.carpoperator.api.AdvertisementSpec;
import io.carpoperator.api.GratuitousArpSpec;
import io.carpoperator.api.IsolationSpec;
import io.carpoperator.api.ProbeType;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import java.util.List;
import java.util.Optional;

/** Turns a validated spec into what agents run: defaults filled in, VHID decided, advskew per selected node. */
final class ConfigResolver {
    static final int MAX_ADVSKEW = 255;

    private ConfigResolver() {
    }

    static ResolvedConfig resolve(VirtualIP vip, int vhid, List<String> selectedNodes) {
        VirtualIPSpec spec = vip.getSpec();
        var advertisement = Optional.ofNullable(spec.advertisement).orElseGet(AdvertisementSpec::new);
        var isolation = Optional.ofNullable(spec.isolation).orElseGet(IsolationSpec::new);
        var garp = Optional.ofNullable(spec.gratuitousArp).orElseGet(GratuitousArpSpec::new);
        int baseSkew = orDefault(advertisement.skew, AdvertisementSpec.DEFAULT_SKEW);

        ResolvedConfig resolved = new ResolvedConfig();
        resolved.generation = vip.getMetadata().getGeneration();
        resolved.address = spec.address;
        resolved.interfaceName = spec.interfaceName;
        resolved.vhid = vhid;
        resolved.preempt = Boolean.TRUE.equals(spec.preempt);
        resolved.advertisementIntervalSeconds = orDefault(advertisement.intervalSeconds, AdvertisementSpec.DEFAULT_INTERVAL_SECONDS);
        resolved.passwordSecretRef = spec.passwordSecretRef;
        resolved.isolationEnabled = !Boolean.FALSE.equals(isolation.enabled);
        resolved.isolationHosts = isolation.hosts == null ? List.of() : List.copyOf(isolation.hosts);
        resolved.probeIntervalMillis = orDefault(isolation.probeIntervalMillis, IsolationSpec.DEFAULT_PROBE_INTERVAL_MILLIS);
        resolved.holdLimit = orDefault(isolation.holdLimit, IsolationSpec.DEFAULT_HOLD_LIMIT);
        resolved.recoverAfter = orDefault(isolation.recoverAfter, IsolationSpec.DEFAULT_RECOVER_AFTER);
        resolved.probes = isolation.probes == null ? List.of(ProbeType.ICMP, ProbeType.ARP) : List.copyOf(isolation.probes);
        resolved.gratuitousArpIntervalSeconds = orDefault(garp.intervalSeconds, GratuitousArpSpec.DEFAULT_INTERVAL_SECONDS);
        List<String> preferred = spec.preferredNodes == null ? List.of() : spec.preferredNodes;
        for (String node : selectedNodes) {
            int rank = preferred.indexOf(node);
            int step = rank >= 0 ? rank : preferred.size();
            resolved.nodes.add(new ResolvedConfig.ResolvedNode(node, Math.min(MAX_ADVSKEW, baseSkew + step)));
        }
        return resolved;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
