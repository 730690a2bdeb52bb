package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** crds/ is committed so users and GitOps can apply it; it must match the Java API. */
class CrdIsCurrentTest {

    @ParameterizedTest
    @ValueSource(strings = { VirtualIP.CRD_NAME, NodeReport.CRD_NAME })
    void committedCrdMatchesTheJavaApi(String crdName) throws Exception {
        String generated = CrdFiles.generate(crdName);
        Path committed = CrdFiles.committed(crdName);
        if (Boolean.getBoolean("carp.updateCrds")) {
            Files.writeString(committed, generated);
            Files.writeString(CrdFiles.deployed(crdName), generated);
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
}
