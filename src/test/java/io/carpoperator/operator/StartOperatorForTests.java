package io.carpoperator.operator;

import io.carpoperator.api.CrdFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;

/**
 * In production CarpMain starts the controllers in `operator` mode only; @QuarkusTest does not run a main, so the
 * tests start them here, after installing the committed CRD into the mock API server as `kubectl apply -f crds/` would.
 */
@ApplicationScoped
public class StartOperatorForTests {

    void start(@Observes StartupEvent event, KubernetesClient client, Operator operator) throws IOException {
        for (String name : CrdFiles.CRDS.keySet()) {
            var crd = client.getKubernetesSerialization().unmarshal(Files.readString(CrdFiles.committed(name)), CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
        }
        operator.start();
    }
}
