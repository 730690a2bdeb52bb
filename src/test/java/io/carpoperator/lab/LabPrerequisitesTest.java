package io.carpoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabPrerequisitesTest {

    @Test
    void theJarReadsTheSameListTheWrapperInstallsFrom() throws Exception {
        String wrapper = Files.readString(Path.of("carp"));
        assertThat(wrapper).contains("PREREQUISITES=src/main/resources" + LabPrerequisites.RESOURCE);
        List<String> lines = Files.readAllLines(Path.of("src/main/resources" + LabPrerequisites.RESOURCE));
        assertThat(LabPrerequisites.allTools()).isEqualTo(LabPrerequisites.parse(lines));
    }

    @Test
    void labCommandsIncludeEveryToolTheLabAndDemoRun() {
        assertThat(LabPrerequisites.toolsNeededBy(HostTool.LAB)).extracting(HostTool::command)
                .contains("ip", "bridge", "ucarp", "ping", "arping", "sysctl", "pgrep", "kill", "stdbuf");
        assertThat(LabPrerequisites.toolsNeededBy(HostTool.LAB)).filteredOn(t -> t.command().equals("sysctl"))
                .extracting(HostTool::debianPackage).containsExactly("procps");
    }

    @Test
    void theImageInstallsEveryLabPackage() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        for (HostTool tool : LabPrerequisites.toolsNeededBy(HostTool.LAB)) {
            assertThat(dockerfile).as("the Dockerfile installs %s for %s", tool.debianPackage(), tool.command())
                    .containsPattern("\\b" + tool.debianPackage().replace("-", "\\-") + "\\b");
        }
    }

    @Test
    void skipsCommentsAndBlankLinesAndRejectsARowWithoutThreeColumns() {
        assertThat(LabPrerequisites.parse(List.of("# comment", "", "ip\tiproute2\tlab")))
                .containsExactly(new HostTool("ip", "iproute2", "lab"));
        assertThatThrownBy(() -> LabPrerequisites.parse(List.of("ip iproute2")))
                .hasMessageContaining("expected 'command package neededBy'").hasMessageContaining("ip iproute2");
    }

    @Test
    void aMissingCommandIsNamedWithItsPackageAndTheInstallCommand() {
        var readiness = new LabReadiness(true, true, List.of(new HostTool("sysctl", "procps", "lab"), new HostTool("pgrep", "procps", "lab")));
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.rootButIncomplete()).isTrue();
        assertThat(readiness.reason()).hasValue("the CARP lab needs sysctl (package procps), pgrep (package procps) on the PATH;"
                + " install with: apt-get install -y procps (./carp does this as root)");
    }

    @Test
    void notRootIsTheReasonEvenWhenCommandsAreMissing() {
        var readiness = new LabReadiness(true, false, List.of(new HostTool("ucarp", "ucarp", "lab")));
        assertThat(readiness.rootButIncomplete()).isFalse();
        assertThat(readiness.reason()).get().asString().contains("needs root");
    }

    @Test
    void aReadyMachineHasNoReason() {
        assertThat(new LabReadiness(true, true, List.of()).reason()).isEmpty();
    }
}
