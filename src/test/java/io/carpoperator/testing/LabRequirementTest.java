package io.carpoperator.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.lab.HostTool;
import io.carpoperator.lab.LabReadiness;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class LabRequirementTest {

    private static final LabReadiness READY = new LabReadiness(true, true, List.of());
    private static final LabReadiness NOT_ROOT = new LabReadiness(true, false, List.of());
    private static final LabReadiness ROOT_WITHOUT_SYSCTL = new LabReadiness(true, true, List.of(new HostTool("sysctl", "procps", "lab")));

    @Test
    void aReadyLabRunsInAndOutOfCi() {
        assertThatCode(() -> LabRequirement.verdict(READY, false, "LabIT")).doesNotThrowAnyException();
        assertThatCode(() -> LabRequirement.verdict(READY, true, "LabIT")).doesNotThrowAnyException();
    }

    @Test
    void notRootOutsideCiSkipsWithTheReportedPrefix() {
        assertThatThrownBy(() -> LabRequirement.verdict(NOT_ROOT, false, "LabIT"))
                .isInstanceOf(TestAbortedException.class).hasMessageStartingWith(LabRequirement.SKIP_PREFIX).hasMessageContaining("root");
    }

    @Test
    void rootWithAMissingCommandFailsNamingCommandAndPackage() {
        assertThatThrownBy(() -> LabRequirement.verdict(ROOT_WITHOUT_SYSCTL, false, "LabIT"))
                .isNotInstanceOf(TestAbortedException.class).hasMessageContaining("LabIT").hasMessageContaining("sysctl (package procps)");
    }

    @Test
    void underCiNothingSkipsNotEvenWithoutRoot() {
        assertThatThrownBy(() -> LabRequirement.verdict(NOT_ROOT, true, "LabIT"))
                .isNotInstanceOf(TestAbortedException.class).hasMessageContaining("CI=true").hasMessageContaining("needs root");
        assertThatThrownBy(() -> LabRequirement.verdict(ROOT_WITHOUT_SYSCTL, true, "LabIT"))
                .isNotInstanceOf(TestAbortedException.class).hasMessageContaining("sysctl (package procps)");
    }
}
