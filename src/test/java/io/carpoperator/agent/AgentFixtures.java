package io.carpoperator.agent;

import io.carpoperator.api.AgentConfig;
import io.carpoperator.api.ProbeType;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SecretKeyRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Agent configurations as the operator publishes them and Secrets as they arrive from the API, for the agent's tests. */
final class AgentFixtures {
    static final String NODE = "node-a";
    static final String NODE_IP = "203.0.113.1";
    static final String NAMESPACE = "carp-agents";
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

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** The operator-owned ConfigMap of one VirtualIP, as the agents' namespace holds it. */
    static ConfigMap vip(String name, ResolvedConfig resolved) {
        AgentConfig config = new AgentConfig();
        config.virtualIP = name;
        config.resolved = resolved;
        return configMap(name, config);
    }

    static ConfigMap configMap(String name, AgentConfig config) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(Map.of(AgentConfig.VIP_LABEL, name)).endMetadata()
                .withData(Map.of(AgentConfig.DATA_KEY, JSON.asJson(config))).build();
    }

    static AgentConfig config(ConfigMap configMap) {
        return JSON.unmarshal(configMap.getData().get(AgentConfig.DATA_KEY), AgentConfig.class);
    }

    /** Adds a node's addresses (VIP network and heartbeat) to the configuration, as the operator would. */
    static ConfigMap withEntry(ConfigMap configMap, String node, String address, String heartbeat) {
        AgentConfig config = config(configMap);
        config.nodes.put(node, new AgentConfig.NodeAddresses(address, heartbeat));
        configMap.setData(Map.of(AgentConfig.DATA_KEY, JSON.asJson(config)));
        return configMap;
    }

    /** A password Secret of the agents' namespace, labelled as the operator labels its copies (agents watch only those). */
    static Secret secret(String name, String key, String password) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(Map.of(AgentConfig.VIP_LABEL, name))
                .endMetadata()
                .withData(Map.of(key, Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)))).build();
    }

    static Map<String, Secret> secrets(Secret... secrets) {
        return java.util.Arrays.stream(secrets).collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    }
}
