package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** crds/ is committed so users and GitOps can apply it; it must match the Java API. */
class CrdIsCurrentTest {

    @Test
    void committedCrdMatchesTheJavaApi() throws Exception {
        String generated = CrdFiles.generate();
        if (Boolean.getBoolean("carp.updateCrds")) {
            Files.writeString(CrdFiles.COMMITTED, generated);
            Files.writeString(CrdFiles.DEPLOYED, generated);
        }
        assertThat(Files.exists(CrdFiles.COMMITTED))
                .as("%s is missing; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true", CrdFiles.COMMITTED).isTrue();
        assertThat(Files.readString(CrdFiles.COMMITTED))
                .as("%s is stale; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true", CrdFiles.COMMITTED)
                .isEqualTo(generated);
    }

    @Test
    void printerColumnsShowAddressVhidMasterPhaseAge() throws Exception {
        String crd = CrdFiles.generate();
        int address = crd.indexOf("name: \"Address\"");
        int vhid = crd.indexOf("name: \"VHID\"");
        int master = crd.indexOf("name: \"Master\"");
        int phase = crd.indexOf("name: \"Phase\"");
        int age = crd.indexOf("name: \"Age\"");
        assertThat(address).isPositive().isLessThan(vhid);
        assertThat(vhid).isLessThan(master);
        assertThat(master).isLessThan(phase);
        assertThat(phase).isLessThan(age);
    }

    /** Uniqueness is the API server's list type, not a CEL rule: a rule comparing every pair is over its cost budget. */
    @Test
    void listsWhoseItemsMustBeUniqueAreSets() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CrdFiles.COMMITTED), CustomResourceDefinition.class);
        JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps isolation = spec.getProperties().get("isolation");
        assertThat(spec.getProperties().get("preferredNodes").getXKubernetesListType()).isEqualTo("set");
        assertThat(isolation.getProperties().get("hosts").getXKubernetesListType()).isEqualTo("set");
        assertThat(isolation.getProperties().get("probes").getXKubernetesListType()).isEqualTo("set");
    }
}
