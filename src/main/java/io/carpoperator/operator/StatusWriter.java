package io.carpoperator.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpoperator.api.MergePatch;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Writes the operator's part of a VirtualIP status as a JSON merge patch on the status subresource — only the fields
 * that changed, never status.nodes (the agents' part), and nothing at all when nothing changed.
 */
@ApplicationScoped
public class StatusWriter {
    private static final Logger LOG = Logger.getLogger(StatusWriter.class);
    static final String NODES_FIELD = "nodes";

    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return true when a patch was sent */
    boolean writeIfChanged(VirtualIP vip, StatusAggregate aggregate) {
        ObjectNode current = operatorOwned(vip.getStatus());
        ObjectNode desired = operatorOwned(toStatus(aggregate));
        ObjectNode patch = MergePatch.diff(current, desired);
        if (patch.isEmpty()) {
            return false;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("status", patch);
        LOG.debugf("VirtualIP %s: status patch %s", vip.getMetadata().getName(), body);
        client.resources(VirtualIP.class)
                .withName(vip.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
        return true;
    }

    private ObjectNode operatorOwned(VirtualIPStatus status) {
        if (status == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode tree = client.getKubernetesSerialization().convertValue(status, JsonNode.class);
        ObjectNode owned = tree.deepCopy();
        owned.remove(NODES_FIELD);
        return owned;
    }

    private static VirtualIPStatus toStatus(StatusAggregate aggregate) {
        VirtualIPStatus status = new VirtualIPStatus();
        status.observedGeneration = aggregate.observedGeneration();
        status.vhid = aggregate.vhid();
        status.master = aggregate.master();
        status.phase = aggregate.phase();
        status.conditions = aggregate.conditions();
        status.resolved = aggregate.resolved();
        status.nodes = null;
        return status;
    }
}
