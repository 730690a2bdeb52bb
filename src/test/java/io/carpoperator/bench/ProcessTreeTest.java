package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes (sleep, sh, setsid), no root and no lab: the signal paths of a graceful stop. */
class ProcessTreeTest {

    private Process started;

    @AfterEach
    void killWhatWasStarted() {
        if (started != null) {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }
    }

    private Process start(String... argv) throws IOException {
        started = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return started;
    }

    private static ProcessHandle awaitDescendant(Process process, String name) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> ProcessTree.descendant(process, name), Optional::isPresent).orElseThrow();
    }

    private static void awaitGone(ProcessHandle process) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> !process.isAlive());
    }

    @Test
    void pgrpIsTheFifthFieldEvenWhenTheCommandHasSpacesAndParentheses() {
        assertThat(ProcessTree.processGroupOfStat("21490 (sh) R 21471 21490 21490 0 -1 4194304 197")).isEqualTo(21490);
        assertThat(ProcessTree.processGroupOfStat("7 (a (b) c) S 1 5 5 0")).isEqualTo(5);
    }

    @Test
    void setsidLeadsANewGroupUnderTheSamePidAsTheStartedProcess() throws IOException {
        Process process = start("setsid", "sleep", "30");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> process.info().command().map(c -> c.endsWith("/sleep")).orElse(false));

        assertThat(ProcessTree.processGroup(process.pid())).isEqualTo(process.pid());
    }

    @Test
    void theGroupSignalIsRefusedForAProcessThatDoesNotLeadItsGroup() throws IOException {
        Process process = start("sleep", "30");

        assertThatThrownBy(() -> ProcessTree.terminate(process, SignalPath.PROCESS_GROUP))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a process group leader");
        assertThat(process.isAlive()).isTrue();
    }

    @Test
    void mainProcessPathLeavesTheChildren() throws IOException {
        Process process = start("setsid", "sh", "-c", "sleep 30 & wait");
        ProcessHandle child = awaitDescendant(process, "sleep");

        ProcessTree.terminate(process, SignalPath.MAIN_PROCESS);

        awaitGone(process.toHandle());
        assertThat(child.isAlive()).isTrue();
        child.destroyForcibly();
    }

    @Test
    void groupPathReachesChildrenInTheGroupButNotOnesInTheirOwnSession() throws IOException {
        Process process = start("setsid", "sh", "-c", "sleep 30 & setsid sleep 31 & wait");
        awaitDescendant(process, "sleep");
        await().atMost(Duration.ofSeconds(5)).until(() -> process.descendants().count() == 2);
        List<ProcessHandle> children = process.descendants().toList();
        ProcessHandle inGroup = children.stream().filter(c -> ProcessTree.processGroup(c.pid()) == process.pid())
                .findFirst().orElseThrow();
        ProcessHandle ownSession = children.stream().filter(c -> c != inGroup).findFirst().orElseThrow();

        ProcessTree.terminate(process, SignalPath.PROCESS_GROUP);

        awaitGone(process.toHandle());
        awaitGone(inGroup);
        assertThat(ownSession.isAlive()).isTrue();
        ownSession.destroyForcibly();
    }

    @Test
    void everyProcessPathReachesChildrenInOtherSessionsToo() throws IOException {
        Process process = start("setsid", "sh", "-c", "setsid sleep 31 & wait");
        ProcessHandle ownSession = awaitDescendant(process, "sleep");

        ProcessTree.terminate(process, SignalPath.EVERY_PROCESS);

        awaitGone(process.toHandle());
        awaitGone(ownSession);
    }
}
