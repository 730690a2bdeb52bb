package io.carpoperator.agent;

import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.api.UnreadValue;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides, for each VirtualIP in the cache, what this node should run. Only status.resolved (the operator's last valid
 * configuration) and the other nodes' entries count, never the raw spec.
 */
public final class DesiredVips {
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

    /**
     * @param secrets       Secrets of our namespace by name (null when absent)
     * @param ownAddresses  our address per VIP as the data plane last reported it, for VIPs whose entry does not show it yet
     */
    public Map<String, DesiredVip> compute(Collection<VirtualIP> vips, Function<String, Secret> secrets, Map<String, String> ownAddresses) {
        Map<String, DesiredVip> desired = new TreeMap<>();
        for (VirtualIP vip : vips) {
            DesiredVip one = desired(vip, secrets, ownAddresses.get(vip.getMetadata().getName()));
            desired.put(one.name(), one);
        }
        return desired;
    }

    public DesiredVip desired(VirtualIP vip, Function<String, Secret> secrets, String knownOwnAddress) {
        String name = vip.getMetadata().getName();
        VirtualIPStatus status = vip.getStatus();
        Map<String, NodeStatus> entries = status == null || status.nodes == null ? Map.of() : status.nodes;
        boolean entryPresent = entries.get(node) != null;
        if (vip.getMetadata().getDeletionTimestamp() != null) {
            return new DesiredVip.Release(name, "the VirtualIP is being deleted", entryPresent);
        }
        String unreadable = status == null || status.unread == null ? "" : status.unread.stream()
                .filter(u -> !u.unknownField() && (u.field().equals("status") || u.field().startsWith("status.resolved")))
                .map(UnreadValue::toString).collect(Collectors.joining("; "));
        if (!unreadable.isEmpty()) {
            // e.g. written by a newer operator: acting on part of it would silently change what runs
            return new DesiredVip.KeepLast(name, "its resolved configuration cannot be read by this agent version: " + unreadable);
        }
        ResolvedConfig resolved = status == null ? null : status.resolved;
        if (resolved == null || resolved.nodes == null) {
            return new DesiredVip.Unresolved(name);
        }
        List<String> selected = resolved.nodes.stream().filter(n -> n != null && n.name != null).map(n -> n.name).toList();
        if (!selected.contains(node)) {
            return new DesiredVip.Release(name, "it does not select node " + node + " (any more)", entryPresent);
        }
        String password;
        try {
            password = ResolvedVipSettings.password(resolved.passwordSecretRef, namespace,
                    resolved.passwordSecretRef == null || resolved.passwordSecretRef.name == null ? null
                            : secrets.apply(resolved.passwordSecretRef.name));
        } catch (IllegalArgumentException e) {
            return new DesiredVip.KeepLast(name, e.getMessage());
        }
        Set<String> ownAddresses = new LinkedHashSet<>();
        NodeStatus own = entries.get(node);
        if (own != null && own.address != null) {
            ownAddresses.add(own.address);
        }
        if (knownOwnAddress != null) {
            ownAddresses.add(knownOwnAddress);
        }
        try {
            return new DesiredVip.Run(name, ResolvedVipSettings.build(name, node, resolved, password,
                    peers(entries, selected, ownAddresses, Ipv4Cidr.tryParse(resolved.address).orElse(null)), heartbeats(entries, selected)));
        } catch (IllegalArgumentException e) {
            return new DesiredVip.KeepLast(name, e.getMessage());
        }
    }

    /**
     * The other selected nodes' addresses on the VIP network, in node-name order; never our own, nor one that would
     * answer whatever happens (the VIP itself, loopback) or from many hosts (the subnet's broadcast), which would hide isolation.
     */
    List<String> peers(Map<String, NodeStatus> entries, List<String> selected, Set<String> ownAddresses, Ipv4Cidr vip) {
        return otherNodes(entries, selected, s -> s.address, ownAddresses).stream()
                .filter(peer -> SpecValidator.unusableProbeTarget(Ipv4Cidr.parseAddress(peer), vip).isEmpty())
                .toList();
    }

    /** The other selected nodes' node-network addresses, in node-name order; never our own NODE_IP. */
    List<String> heartbeats(Map<String, NodeStatus> entries, List<String> selected) {
        return otherNodes(entries, selected, s -> s.heartbeatAddress, nodeIp == null ? Set.of() : Set.of(nodeIp));
    }

    private List<String> otherNodes(Map<String, NodeStatus> entries, List<String> selected, Function<NodeStatus, String> field,
            Set<String> excluded) {
        Map<String, NodeStatus> sorted = new TreeMap<>(entries);
        Set<String> addresses = new LinkedHashSet<>();
        for (Map.Entry<String, NodeStatus> entry : sorted.entrySet()) {
            if (entry.getKey().equals(node) || entry.getValue() == null || !selected.contains(entry.getKey())) {
                continue;
            }
            String address = field.apply(entry.getValue());
            // another agent's entry is input too: an address that is not one is skipped, not probed
            if (Ipv4Cidr.isAddress(address) && !excluded.contains(address)) {
                addresses.add(address);
            }
        }
        return new ArrayList<>(addresses);
    }
}
