package io.carpoperator.operator;

import static io.carpoperator.operator.OperatorTestSupport.condition;
import static io.carpoperator.operator.OperatorTestSupport.vip;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.Phase;
import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * An operator that starts while an unreadable VirtualIP is stored: its informer reads it in the initial list, where
 * JOSDK stops the operator on any error. A plain Fabric8 client (unknown properties fail) stands for every other mapper.
 */
@QuarkusTest
@TestProfile(UnreadableAtStartIT.OwnServer.class)
@WithKubernetesTestServer(crud = true)
class UnreadableAtStartIT {

    /** A profile of its own gives this class its own application and mock API server, so it may stop the operator. */
    public static class OwnServer implements QuarkusTestProfile {
    }

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    @Inject
    OperatorSettings settings;

    @Test
    void anOperatorStartingWithAnUnreadableVirtualIPStoredStartsAndServesTheOthers() {
        var config = client.getConfiguration();
        operator.stop();
        try (KubernetesClient fresh = new KubernetesClientBuilder().withConfig(config).build()) {
            var cluster = new OperatorTestSupport(fresh);
            cluster.createNodesAndSecret();
            cluster.createRaw(VirtualIPReconcilerIT.FROM_THE_FUTURE);
            var started = OperatorTestSupport.startOperator(fresh, settings);
            try {
                VirtualIP bad = cluster.awaitStatus("from-the-future", v -> v.getStatus().phase == Phase.Invalid);
                assertThat(condition(bad, ConditionTypes.VALID).getMessage()).contains("spec.vhid: \"five\" is not an integer");
                cluster.create(vip("after", "198.51.100.140/24"));
                cluster.awaitStatus("after", v -> v.getStatus().phase == Phase.Pending);
            } finally {
                started.stop();
            }
        }
    }
}
