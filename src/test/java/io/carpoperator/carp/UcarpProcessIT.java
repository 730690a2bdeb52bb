package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.carpoperator.testing.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real ucarp instances in two network namespaces joined by a bridge in a third: one becomes MASTER and
 * holds the VIP; SIGKILL it and the other takes over. Needs root, ucarp, iproute2, iputils and coreutils'
 * stdbuf; uses only 198.51.100.0/24 inside namespaces it creates and deletes.
 */
@LabTest
class UcarpProcessIT {

    private static final String VIP = "198.51.100.10";
    private static final String RUN = "cw-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private static final String SWITCH = RUN + "-sw";
    private static final String NODE1 = RUN + "-n1";
    private static final String NODE2 = RUN + "-n2";

    private static final List<String> createdNamespaces = new ArrayList<>();
    private static final List<UcarpProcess> processes = new CopyOnWriteArrayList<>();
    private static Path workDir;
    private static final CommandRunner host = new ProcessCommandRunner();

    @BeforeAll
    static void buildLab() throws Exception {
        workDir = Files.createTempDirectory(RUN + "-");
        for (String ns : List.of(SWITCH, NODE1, NODE2)) {
            sh("ip", "netns", "add", ns);
            createdNamespaces.add(ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "-n", SWITCH, "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", SWITCH, "link", "set", "br0", "up");
        plug(NODE1, "p1", "198.51.100.11");
        plug(NODE2, "p2", "198.51.100.12");
    }

    private static void plug(String node, String port, String address) throws IOException {
        sh("ip", "link", "add", port, "netns", SWITCH, "type", "veth", "peer", "name", "eth0", "netns", node);
        sh("ip", "-n", SWITCH, "link", "set", port, "master", "br0", "up");
        sh("ip", "-n", node, "addr", "add", address + "/24", "dev", "eth0");
        sh("ip", "-n", node, "link", "set", "eth0", "up");
    }

    @AfterAll
    static void tearDownLab() throws Exception {
        for (UcarpProcess process : processes) {
            process.kill();
            process.awaitExit(Duration.ofSeconds(5));
        }
        for (String ns : createdNamespaces) {
            host.run(List.of("ip", "netns", "del", ns));
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void sh(String... argv) throws IOException {
        CommandRunner.Result result = host.run(List.of(argv));
        if (!result.ok()) {
            throw new IOException(String.join(" ", argv) + " failed: " + result.stderr());
        }
    }

    private static List<String> inNamespace(String ns, List<String> argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(argv);
        return command;
    }

    private static AddressControl addressesOf(String ns) {
        return new AddressControl(new ProcessCommandRunner(List.of("ip", "netns", "exec", ns), Duration.ofSeconds(5)));
    }

    private static final class Recorder implements UcarpInstance.Listener {
        final List<UcarpEvent> events = new CopyOnWriteArrayList<>();
        volatile Integer exitCode;

        @Override
        public void onEvent(UcarpEvent event) {
            events.add(event);
        }

        @Override
        public void onGone(int exitCode) {
        }

        @Override
        public void onExit(int exitCode) {
            this.exitCode = exitCode;
        }

        List<UcarpState> states() {
            return events.stream().filter(UcarpEvent.StateChanged.class::isInstance)
                    .map(e -> ((UcarpEvent.StateChanged) e).state()).toList();
        }
    }

    private UcarpProcess startUcarp(String ns, String source, int skew, Recorder recorder) throws IOException {
        AddressHooks.Scripts hooks = AddressHooks.write(workDir.resolve("hooks"));
        Path passfile = Passfile.write(workDir.resolve("vip99.pass"), "lab-secret");
        UcarpConfig config = UcarpConfig.withPrefixAsXparam("eth0", source, 99, passfile, VIP, 24, 1, skew,
                false, false, hooks.up(), hooks.down());
        UcarpProcess process = UcarpProcess.start(config.label() + " on " + ns, inNamespace(ns, UcarpCommandLine.of(config)), recorder);
        processes.add(process);
        return process;
    }

    @Test
    void backupTakesOverTheVipWhenTheMasterIsKilled() throws Exception {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        UcarpProcess master = startUcarp(NODE1, "198.51.100.11", 0, first);
        UcarpProcess backup = startUcarp(NODE2, "198.51.100.12", 100, second);

        await().atMost(Duration.ofSeconds(10)).until(() -> master.state() == UcarpState.MASTER);
        await().atMost(Duration.ofSeconds(3)).until(() -> addressesOf(NODE1).isAssigned("eth0", VIP));
        assertThat(first.states()).containsSubsequence(UcarpState.BACKUP, UcarpState.MASTER);
        assertThat(backup.state()).isEqualTo(UcarpState.BACKUP);
        assertThat(addressesOf(NODE2).isAssigned("eth0", VIP)).isFalse();

        master.kill();
        assertThat(master.awaitExit(Duration.ofSeconds(5))).isTrue();

        await().atMost(Duration.ofSeconds(8)).until(() -> backup.state() == UcarpState.MASTER);
        await().atMost(Duration.ofSeconds(3)).until(() -> addressesOf(NODE2).isAssigned("eth0", VIP));
        await().atMost(Duration.ofSeconds(2)).until(() -> first.exitCode != null);
        assertThat(first.exitCode).isEqualTo(137);
        assertThat(addressesOf(NODE1).isAssigned("eth0", VIP))
                .as("SIGKILL runs no down hook, so the address stays on the old master")
                .isTrue();
        assertThat(addressesOf(NODE1).remove("eth0", VIP, 24)).isTrue();
        assertThat(addressesOf(NODE1).isAssigned("eth0", VIP)).isFalse();
        assertThat(second.events).noneMatch(UcarpEvent.AuthenticationFailed.class::isInstance);

        assertThat(backup.stop(Duration.ofSeconds(5))).as("stop is SIGKILL and waits for the exit").isTrue();
        assertThat(addressesOf(NODE2).isAssigned("eth0", VIP))
                .as("SIGKILL runs no down hook: the supervisor runs it (UcarpSupervisorTest)")
                .isTrue();
        assertThat(addressesOf(NODE2).remove("eth0", VIP, 24)).isTrue();
    }

    @Test
    void ucarpRunsInASessionOfItsOwnAndDoesNotActOnTerminationSignals() throws Exception {
        Recorder recorder = new Recorder();
        UcarpProcess ucarp = startUcarp(NODE1, "198.51.100.11", 0, recorder);
        await().atMost(Duration.ofSeconds(10)).until(() -> ucarp.state() == UcarpState.MASTER);
        await().atMost(Duration.ofSeconds(3)).until(() -> addressesOf(NODE1).isAssigned("eth0", VIP));

        List<String> stat = List.of(Files.readString(Path.of("/proc/" + ucarp.pid() + "/stat"))
                .replaceFirst("^.*\\) ", "").split(" "));
        long pgid = Long.parseLong(stat.get(2));
        long session = Long.parseLong(stat.get(3));
        assertThat(session).as("its own session, so a terminal's or process group's signal does not reach it")
                .isEqualTo(ucarp.pid());
        assertThat(pgid).isEqualTo(ucarp.pid());
        assertThat(Files.readString(Path.of("/proc/" + ucarp.pid() + "/cmdline")).split("\u0000")[0])
                .as("the shield execs: the pid is ucarp's own").endsWith("ucarp");

        for (String signal : SignalShield.BLOCKED) {
            assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(ucarp.pid())).start().waitFor()).isZero();
        }
        Thread.sleep(1500);
        assertThat(ucarp.isAlive()).as("SIGTERM, SIGINT, SIGHUP and SIGQUIT stay pending").isTrue();
        assertThat(ucarp.state()).isEqualTo(UcarpState.MASTER);
        assertThat(addressesOf(NODE1).isAssigned("eth0", VIP)).as("no down hook ran").isTrue();

        ucarp.demote();
        await().atMost(Duration.ofSeconds(3)).until(() -> ucarp.state() == UcarpState.BACKUP);
        assertThat(ucarp.isAlive()).as("SIGUSR2 still demotes").isTrue();

        assertThat(ucarp.stop(Duration.ofSeconds(5))).as("SIGKILL ends it").isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> recorder.exitCode != null);
        assertThat(recorder.exitCode).isEqualTo(137);
    }
}
