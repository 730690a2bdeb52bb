package io.carpoperator.demo;

import io.carpoperator.api.NodeReport;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;

/**
 * Shows the trust boundary at work: one node's agent tries to write another node's NodeReport (claiming MASTER for
 * it) and the API server's admission policy refuses, as deploy/'s policy makes a cluster refuse it.
 */
final class ForgedReport {

    private ForgedReport() {
    }

    /** One line saying what happened when {@code forger}'s agent wrote {@code victim}'s report. */
    static String attempt(DemoApiServer api, String forger, String victim) {
        NodeReport forged = new NodeReport();
        forged.getMetadata().setName(victim);
        forged.getSpec().vips.put("carp99", new NodeStatus(NodeState.MASTER, Instant.now().toString()));
        try (KubernetesClient asForger = api.agentClient(forger)) {
            asForger.resources(NodeReport.class).resource(forged).createOr(existing -> existing.update());
            return "WARNING: " + forger + "'s agent could write " + victim + "'s NodeReport; the admission policy is not enforced";
        } catch (KubernetesClientException refused) {
            return forger + "'s agent tried to write " + victim + "'s NodeReport: refused (" + refused.getCode() + " "
                    + (refused.getStatus() == null ? refused.getMessage() : refused.getStatus().getMessage()) + ")";
        }
    }
}
