package io.carpoperator.agent;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.carpoperator.api.ProbeType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** VirtualIPs as the operator resolves them and Secrets as they arrive from the API, for the agent's unit tests. */
final class AgentFixtures {
    static final String NODE = "node-a";
    static final String NODE_IP = "203.0.113.1";
    static final String NAMESPACE = "carp-system";
    static final String SECRET = "carp-password";
    static final String KEY = "password";

    private AgentFixtures() {
    }

    static ResolvedConfig resolved(String address, int vhid, String... nodes) {
        ResolvedConfig resolved = new ResolvedConfig();
        resolved.generation = 1L;
        resolved.address = address;
        resolved.vhid = vhid;
        resolved.preempt = false;
        resolved.advertisementIntervalSeconds = 1;
        resolved.passwordSecretRef = new SecretKeyRef(SECRET, KEY);
        resolved.isolationEnabled = true;
        resolved.isolationHosts = List.of();
        resolved.probeIntervalMillis = 1000;
        resolved.holdLimit = 2;
        resolved.recoverAfter = 2;
        resolved.probes = List.of(ProbeType.ICMP, ProbeType.ARP);
        resolved.gratuitousArpIntervalSeconds = 10;
        for (int i = 0; i < nodes.length; i++) {
            resolved.nodes.add(new ResolvedConfig.ResolvedNode(nodes[i], i));
        }
        return resolved;
    }

    static VirtualIP vip(String name, ResolvedConfig resolved) {
        VirtualIP vip = new VirtualIP();
        vip.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
        vip.setStatus(new VirtualIPStatus());
        vip.getStatus().resolved = resolved;
        return vip;
    }

    static VirtualIP withEntry(VirtualIP vip, String node, String address, String heartbeat) {
        NodeStatus entry = new NodeStatus(NodeState.BACKUP, "2026-01-01T00:00:00Z");
        entry.address = address;
        entry.heartbeatAddress = heartbeat;
        vip.getStatus().nodes.put(node, entry);
        return vip;
    }

    static Secret secret(String name, String key, String password) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withData(Map.of(key, Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)))).build();
    }

    static Map<String, Secret> secrets(Secret... secrets) {
        return java.util.Arrays.stream(secrets).collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    }
}
