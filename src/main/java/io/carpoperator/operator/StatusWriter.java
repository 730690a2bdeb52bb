package io.carpoperator.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Writes a VirtualIP's status on the status subresource — only the fields that changed, and nothing at all when
 * nothing changed. The operator is its only writer (agents report in their NodeReports). It sends a JSON Patch that
 * replaces each changed field whole: lists such as conditions must be replaced, not merged.
 */
@ApplicationScoped
public class StatusWriter {
    private static final Logger LOG = Logger.getLogger(StatusWriter.class);

    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return true when a patch was sent */
    boolean writeIfChanged(VirtualIP vip, StatusAggregate aggregate) {
        ObjectNode desired = operatorOwned(toStatus(aggregate));
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        ObjectNode current = vip.getStatus() == null ? JsonNodeFactory.instance.objectNode() : operatorOwned(vip.getStatus());
        if (isBlank(current)) {
            // No status on the server yet (absent or null): JSON Patch cannot add below it, so add it whole.
            patch.addObject().put("op", "add").put("path", "/status").set("value", desired);
        } else {
            Set<String> fields = new LinkedHashSet<>();
            current.fieldNames().forEachRemaining(fields::add);
            desired.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                JsonNode was = current.get(field);
                JsonNode now = desired.get(field);
                if (now != null && !now.isNull() && !now.equals(was)) {
                    patch.addObject().put("op", "add").put("path", "/status/" + field).set("value", now);
                } else if ((now == null || now.isNull()) && was != null && !was.isNull()) {
                    patch.addObject().put("op", "remove").put("path", "/status/" + field);
                }
            }
        }
        if (patch.isEmpty()) {
            return false;
        }
        LOG.debugf("VirtualIP %s: status patch %s", vip.getMetadata().getName(), patch);
        // a bare item names the target; patching by name alone would make Fabric8 GET the resource first
        VirtualIP target = new VirtualIP();
        target.getMetadata().setName(vip.getMetadata().getName());
        client.resources(VirtualIP.class).resource(target).subresource("status").patch(PatchContext.of(PatchType.JSON), patch.toString());
        return true;
    }

    private static boolean isBlank(ObjectNode status) {
        for (Iterator<JsonNode> values = status.elements(); values.hasNext();) {
            JsonNode value = values.next();
            if (!value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode operatorOwned(VirtualIPStatus status) {
        return client.getKubernetesSerialization().convertValue(status, ObjectNode.class);
    }

    private static VirtualIPStatus toStatus(StatusAggregate aggregate) {
        VirtualIPStatus status = new VirtualIPStatus();
        status.observedGeneration = aggregate.observedGeneration();
        status.vhid = aggregate.vhid();
        status.master = aggregate.master();
        status.phase = aggregate.phase();
        status.conditions = aggregate.conditions();
        status.resolved = aggregate.resolved();
        status.nodes = new java.util.TreeMap<>(aggregate.nodes());
        return status;
    }
}
