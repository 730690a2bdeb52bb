package io.carpoperator.agent;

import io.carpoperator.api.AgentConfig;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides, for each VirtualIP, what this node should run — from the operator-owned {@link AgentConfig} ConfigMap and
 * password copy of the agents' namespace alone, never from the VirtualIP or another node's writing.
 */
public final class DesiredVips {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final String node;
    private final String nodeIp;
    private final String namespace;

    public DesiredVips(String node, String nodeIp, String namespace) {
        this.node = Objects.requireNonNull(node, "node");
        this.nodeIp = nodeIp;
        this.namespace = namespace;
    }

    public DesiredVips(AgentSettings settings) {
        this(settings.nodeName(), settings.nodeIp(), settings.namespace());
    }

    /** Every VirtualIP of the given ConfigMaps (by VirtualIP name). */
    public Map<String, DesiredVip> compute(Map<String, ConfigMap> configs, Function<String, Secret> secrets, Map<String, String> ownAddresses,
            Predicate<String> reported) {
        Map<String, DesiredVip> desired = new TreeMap<>();
        configs.forEach((name, config) -> desired.put(name, desired(name, config, secrets, ownAddresses.get(name), reported.test(name))));
        return desired;
    }

    /**
     * @param config          the VirtualIP's ConfigMap, or null when the operator withdrew it (deleted VirtualIP)
     * @param secrets         Secrets of the agents' namespace by name (null when absent)
     * @param knownOwnAddress our address on the VIP's interface as the data plane last reported it, never a peer
     * @param reported        our NodeReport holds an entry for this VIP
     */
    public DesiredVip desired(String name, ConfigMap config, Function<String, Secret> secrets, String knownOwnAddress, boolean reported) {
        if (config == null) {
            return new DesiredVip.Release(name, "the operator withdrew its configuration (the VirtualIP was deleted)", reported);
        }
        AgentConfig agentConfig;
        try {
            agentConfig = parse(config);
        } catch (IllegalArgumentException e) {
            return new DesiredVip.KeepLast(name, e.getMessage());
        }
        ResolvedConfig resolved = agentConfig.resolved;
        if (resolved == null || resolved.nodes == null) {
            return new DesiredVip.Unresolved(name);
        }
        List<String> selected = resolved.nodes.stream().filter(n -> n != null && n.name != null).map(n -> n.name).toList();
        if (!selected.contains(node)) {
            return new DesiredVip.Release(name, "it does not select node " + node + " (any more)", reported);
        }
        String password;
        try {
            password = ResolvedVipSettings.password(resolved.passwordSecretRef, namespace,
                    resolved.passwordSecretRef == null || resolved.passwordSecretRef.name == null ? null
                            : secrets.apply(resolved.passwordSecretRef.name));
        } catch (IllegalArgumentException e) {
            return new DesiredVip.KeepLast(name, e.getMessage());
        }
        Map<String, AgentConfig.NodeAddresses> nodes = agentConfig.nodes == null ? Map.of() : agentConfig.nodes;
        Set<String> ownAddresses = new LinkedHashSet<>();
        if (knownOwnAddress != null) {
            ownAddresses.add(knownOwnAddress);
        }
        AgentConfig.NodeAddresses own = nodes.get(node);
        if (own != null && own.address != null) {
            ownAddresses.add(own.address);
        }
        try {
            return new DesiredVip.Run(name, ResolvedVipSettings.build(name, node, resolved, password,
                    peers(nodes, selected, ownAddresses, Ipv4Cidr.tryParse(resolved.address).orElse(null)),
                    others(nodes, selected, a -> a.heartbeatAddress, nodeIp == null ? Set.of() : Set.of(nodeIp))));
        } catch (IllegalArgumentException e) {
            return new DesiredVip.KeepLast(name, e.getMessage());
        }
    }

    /** The ConfigMap's {@link AgentConfig}; unknown fields are ignored (a newer operator), anything unreadable named. */
    static AgentConfig parse(ConfigMap config) {
        String json = config.getData() == null ? null : config.getData().get(AgentConfig.DATA_KEY);
        if (json == null) {
            throw new IllegalArgumentException("its ConfigMap has no key " + AgentConfig.DATA_KEY);
        }
        try {
            return JSON.unmarshal(json, AgentConfig.class);
        } catch (RuntimeException e) {
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            int newline = message == null ? -1 : message.indexOf('\n');
            throw new IllegalArgumentException("its configuration cannot be read (an operator newer than this agent?): "
                    + (newline < 0 ? message : message.substring(0, newline)));
        }
    }

    /**
     * The other selected nodes' addresses on the VIP network, in node-name order; never our own, nor one that would
     * answer whatever happens (the VIP itself, loopback) or from many hosts (the subnet's broadcast), which would hide isolation.
     */
    private List<String> peers(Map<String, AgentConfig.NodeAddresses> nodes, List<String> selected, Set<String> ownAddresses, Ipv4Cidr vip) {
        return others(nodes, selected, a -> a.address, ownAddresses).stream()
                .filter(peer -> SpecValidator.unusableProbeTarget(Ipv4Cidr.parseAddress(peer), vip).isEmpty())
                .toList();
    }

    /** The other selected nodes' addresses of one kind, in node-name order; never our own. */
    private List<String> others(Map<String, AgentConfig.NodeAddresses> nodes, List<String> selected,
            Function<AgentConfig.NodeAddresses, String> field, Set<String> excluded) {
        Set<String> addresses = new LinkedHashSet<>();
        new TreeMap<>(nodes).forEach((name, entry) -> {
            if (name.equals(node) || entry == null || !selected.contains(name)) {
                return;
            }
            String address = field.apply(entry);
            if (Ipv4Cidr.isAddress(address) && !excluded.contains(address)) {
                addresses.add(address);
            }
        });
        return new ArrayList<>(addresses);
    }
}
