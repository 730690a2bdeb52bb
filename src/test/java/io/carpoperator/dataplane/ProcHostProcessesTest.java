package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcHostProcessesTest {

    @TempDir
    Path proc;

    @Test
    void readsTheStartTimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (uc (arp) x) S 1 4242 4242 0 -1 4194560 300 0 0 0 1 2 0 0 20 0 1 0 987654 5000000 200";
        assertThat(ProcHostProcesses.parseStartTime(stat)).isEqualTo(OptionalLong.of(987654));
        assertThat(ProcHostProcesses.parseStartTime("4242 (ucarp) S 1 2")).isEmpty();
        assertThat(ProcHostProcesses.parseStartTime("garbage")).isEmpty();
    }

    @Test
    void readsAProcessFromAProcFileSystemAndNothingForAMissingOne() throws IOException {
        Path pid = Files.createDirectory(proc.resolve("4242"));
        Files.writeString(pid.resolve("stat"), "4242 (ucarp) S 1 4242 4242 0 -1 4194560 300 0 0 0 1 2 0 0 20 0 1 0 555 5000000 200\n");
        Files.write(pid.resolve("cmdline"), "ucarp\0-i\0eth1\0-v\u00007\0".getBytes());
        HostProcesses processes = new ProcHostProcesses(proc);

        assertThat(processes.startTime(4242)).isEqualTo(OptionalLong.of(555));
        assertThat(processes.commandLine(4242)).contains("ucarp -i eth1 -v 7");
        assertThat(processes.startTime(4243)).isEmpty();
        assertThat(processes.commandLine(4243)).isEmpty();
    }

    @Test
    void theRealProcFileSystemKnowsThisJvm() {
        long self = ProcessHandle.current().pid();
        assertThat(HostProcesses.proc().startTime(self)).isPresent();
        assertThat(HostProcesses.proc().commandLine(self)).hasValueSatisfying(line -> assertThat(line).contains("java"));
    }
}
