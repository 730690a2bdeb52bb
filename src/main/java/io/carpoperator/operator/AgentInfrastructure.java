package io.carpoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps the shared agent DaemonSet and its RBAC in place while any VirtualIP exists, and removes them after the last
 * one is gone. One set serves every VirtualIP, so these objects carry no owner references: the operator itself
 * deletes them once the last VirtualIP's agents confirmed the release.
 */
@ApplicationScoped
public class AgentInfrastructure {
    static final String HASH_ANNOTATION = "carp-operator.io/desired-hash";
    /** Re-check the live objects this often even when nothing changed, to heal manual deletions. */
    static final Duration VERIFY_INTERVAL = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(AgentInfrastructure.class);

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final Clock clock;
    private String lastAppliedHash;
    private Instant lastVerified = Instant.MIN;

    public AgentInfrastructure(KubernetesClient client, OperatorSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
    }

    synchronized void ensure() {
        List<HasMetadata> desired = AgentManifests.desired(settings, client.getKubernetesSerialization());
        String setHash = hash(client.getKubernetesSerialization().asJson(desired));
        Instant now = clock.instant();
        if (setHash.equals(lastAppliedHash) && lastVerified.plus(VERIFY_INTERVAL).isAfter(now)) {
            return;
        }
        for (HasMetadata object : desired) {
            apply(object);
        }
        lastAppliedHash = setHash;
        lastVerified = now;
    }

    synchronized void removeAll() {
        List<HasMetadata> desired = AgentManifests.desired(settings, client.getKubernetesSerialization());
        for (int i = desired.size() - 1; i >= 0; i--) {
            client.resource(desired.get(i)).delete();
        }
        LOG.infof("no VirtualIP left: removed the agent DaemonSet and its RBAC from namespace %s", settings.namespace());
        lastAppliedHash = null;
        lastVerified = Instant.MIN;
    }

    private void apply(HasMetadata object) {
        String objectHash = hash(client.getKubernetesSerialization().asJson(object));
        object.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(HASH_ANNOTATION, objectHash)));
        HasMetadata live = client.resource(object).get();
        String what = object.getKind() + " " + object.getMetadata().getName();
        if (live == null) {
            client.resource(object).create();
            LOG.infof("created agent %s", what);
        } else if (!objectHash.equals(live.getMetadata().getAnnotations() == null ? null
                : live.getMetadata().getAnnotations().get(HASH_ANNOTATION))) {
            object.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
            client.resource(object).update();
            LOG.infof("updated agent %s to the operator's current settings", what);
        }
    }

    private static String hash(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
