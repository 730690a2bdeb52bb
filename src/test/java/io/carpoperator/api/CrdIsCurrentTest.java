package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** crds/ is committed so users and GitOps can apply it; it must match the Java API (its copies in deploy/ and the chart follow). */
class CrdIsCurrentTest {

    @ParameterizedTest
    @ValueSource(strings = { VirtualIP.CRD_NAME, NodeReport.CRD_NAME })
    void committedCrdMatchesTheJavaApi(String crdName) throws Exception {
        String generated = CrdFiles.generate(crdName);
        Path committed = CrdFiles.committed(crdName);
        if (Boolean.getBoolean("carp.updateCrds")) {
            Files.writeString(committed, generated);
            Files.writeString(CrdFiles.deployed(crdName), generated);
            Files.writeString(CrdFiles.charted(crdName), generated);
        }
        assertThat(Files.exists(committed))
                .as("%s is missing; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true", committed).isTrue();
        assertThat(Files.readString(committed))
                .as("%s is stale; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true", committed)
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
