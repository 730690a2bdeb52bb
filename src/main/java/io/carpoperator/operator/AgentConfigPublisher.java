package io.carpoperator.operator;

import io.carpoperator.api.AgentConfig;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes the agents' input for one VirtualIP into the agents' namespace, where only the operator writes and agents
 * only read: a ConfigMap with the {@link AgentConfig} (last valid resolved configuration, peers and heartbeats) and a
 * Secret with a copy of the password, so agents read no Secret of the operator's namespace. Writes only what changed.
 * <p>
 * Not a JOSDK dependent resource: the desired state depends on the node-report ledger, and on deletion these objects
 * must go first (that is the agents' signal to release the address) while the finalizer waits for the release.
 */
final class AgentConfigPublisher {
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** Re-read the live objects this often even when nothing changed, to heal a manual edit or deletion. */
    static final Duration VERIFY_INTERVAL = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(AgentConfigPublisher.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final Map<String, Published> published = new ConcurrentHashMap<>();

    private record Published(String config, String password, Instant verified) {
    }

    AgentConfigPublisher(KubernetesClient client, String agentNamespace, Clock clock) {
        this.client = client;
        this.namespace = agentNamespace;
        this.clock = clock;
    }

    /** The agent config for a resolved configuration: peers from the ledger (checked), heartbeats from the Node objects. */
    static AgentConfig config(String vipName, ResolvedConfig resolved, NodeReportLedger ledger, Map<String, Node> nodes) {
        AgentConfig config = new AgentConfig();
        config.virtualIP = vipName;
        config.resolved = resolved;
        Ipv4Cidr vip = Ipv4Cidr.tryParse(resolved.address).orElse(null);
        for (ResolvedConfig.ResolvedNode node : resolved.nodes) {
            String address = ledger.address(node.name, vipName);
            String checked = acceptablePeerAddress(vip, address) ? address : null;
            config.nodes.put(node.name, new AgentConfig.NodeAddresses(checked, internalIp(nodes.get(node.name))));
        }
        return config;
    }

    /**
     * A node's own claim about its address is input from a less trusted party: only an IPv4 address inside the VIP's
     * subnet (any address for a /32) that is not the VIP itself is passed on as a peer to probe.
     */
    static boolean acceptablePeerAddress(Ipv4Cidr vip, String address) {
        if (vip == null || address == null || !Ipv4Cidr.isAddress(address)) {
            return false;
        }
        int parsed = Ipv4Cidr.parseAddress(address);
        return parsed != vip.address() && (vip.prefixLength() == 32 || vip.contains(parsed));
    }

    static String internalIp(Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return null;
        }
        return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).filter(Ipv4Cidr::isAddress).findFirst().orElse(null);
    }

    /** The copy's reference as agents see it: a Secret named after the VirtualIP in the agents' namespace. */
    static SecretKeyRef passwordCopy(String vipName) {
        return new SecretKeyRef(vipName, AgentConfig.PASSWORD_KEY);
    }

    /** Makes the live ConfigMap and Secret equal the desired ones; returns true when it wrote anything. */
    boolean publish(VirtualIP vip, AgentConfig config, String encodedPassword) {
        String name = vip.getMetadata().getName();
        ResolvedConfig forAgents = copyWithPasswordRef(config.resolved, passwordCopy(name));
        AgentConfig agentView = new AgentConfig();
        agentView.virtualIP = config.virtualIP;
        agentView.resolved = forAgents;
        agentView.nodes = config.nodes;
        String json = client.getKubernetesSerialization().asJson(agentView);
        Instant now = clock.instant();
        Published last = published.get(name);
        if (last != null && last.config.equals(json) && Objects.equals(last.password, encodedPassword)
                && last.verified.plus(VERIFY_INTERVAL).isAfter(now)) {
            return false;
        }
        boolean wrote = false;
        if (encodedPassword != null) {
            wrote |= apply(new SecretBuilder().withMetadata(metadata(vip)).withType("Opaque")
                    .withData(Map.of(AgentConfig.PASSWORD_KEY, encodedPassword)).build(),
                    live -> Objects.equals(((Secret) live).getData(), Map.of(AgentConfig.PASSWORD_KEY, encodedPassword)));
        }
        wrote |= apply(new ConfigMapBuilder().withMetadata(metadata(vip)).withData(Map.of(AgentConfig.DATA_KEY, json)).build(),
                live -> Objects.equals(((ConfigMap) live).getData(), Map.of(AgentConfig.DATA_KEY, json)));
        published.put(name, new Published(json, encodedPassword, now));
        return wrote;
    }

    /**
     * Removes the agents' input of this VirtualIP (every agent then releases the address) — but never the input of a
     * newer VirtualIP of the same name, which a late cleanup of the old one would otherwise take away.
     */
    void withdraw(VirtualIP vip) {
        String name = vip.getMetadata().getName();
        published.remove(name);
        boolean config = deleteIfOwnedBy(client.configMaps().inNamespace(namespace).withName(name).get(), vip);
        boolean secret = deleteIfOwnedBy(client.secrets().inNamespace(namespace).withName(name).get(), vip);
        if (config || secret) {
            LOG.infof("VirtualIP %s: removed the agents' configuration from namespace %s; agents release the address", name, namespace);
        }
    }

    private boolean deleteIfOwnedBy(HasMetadata live, VirtualIP vip) {
        if (live == null || !ownedBy(live, vip)) {
            return false;
        }
        return !client.resource(live).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete().isEmpty();
    }

    /** Owned by this incarnation of the VirtualIP (its uid), or by no one we know of. */
    private static boolean ownedBy(HasMetadata live, VirtualIP vip) {
        String uid = vip.getMetadata().getUid();
        var owners = live.getMetadata().getOwnerReferences();
        return uid == null || owners == null || owners.isEmpty() || owners.stream().anyMatch(o -> uid.equals(o.getUid()));
    }

    private io.fabric8.kubernetes.api.model.ObjectMeta metadata(VirtualIP vip) {
        String name = vip.getMetadata().getName();
        var builder = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(Map.of(AgentConfig.VIP_LABEL, name, MANAGED_BY, "carp-operator"));
        if (vip.getMetadata().getUid() != null) {
            // cluster-scoped owner: garbage collection removes the input even if the operator is gone for good
            builder.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(vip.getApiVersion()).withKind(vip.getKind())
                    .withName(name).withUid(vip.getMetadata().getUid()).withBlockOwnerDeletion(false).withController(true).build());
        }
        return builder.build();
    }

    private boolean apply(HasMetadata desired, java.util.function.Predicate<HasMetadata> sameData) {
        HasMetadata live = client.resource(desired).get();
        String what = desired.getKind() + " " + namespace + "/" + desired.getMetadata().getName();
        if (live == null) {
            client.resource(desired).create();
            LOG.infof("published the agents' %s", what);
            return true;
        }
        if (!sameData.test(live) || !Objects.equals(live.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences())) {
            desired.getMetadata().setResourceVersion(null);
            client.resource(desired).update();
            LOG.infof("updated the agents' %s", what);
            return true;
        }
        return false;
    }

    /** A whole copy (every field, also ones added later), pointing at the password copy instead of the user's Secret. */
    private ResolvedConfig copyWithPasswordRef(ResolvedConfig resolved, SecretKeyRef ref) {
        ResolvedConfig copy = client.getKubernetesSerialization().clone(resolved);
        copy.passwordSecretRef = ref;
        return copy;
    }
}
