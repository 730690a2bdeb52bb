package io.carpoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.carpoperator.testing.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** Needs root: builds real network namespaces and runs real ucarp. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@LabTest
class LabIT {

    private static final String VIP = LabTopology.SUGGESTED_VIP;
    private static final Duration PING_DEADLINE = Duration.ofSeconds(1);

    private Lab lab;
    private Path scripts;

    @BeforeAll
    void buildLab() throws IOException {
        lab = Lab.builder().nodes(2).build();
        scripts = SeedHooks.write(lab.runPrefix());
    }

    @AfterAll
    void removeLab() throws IOException {
        if (lab != null) {
            lab.close();
        }
        deleteTree(scripts);
    }

    @Test
    @Order(1)
    void nodesReachEachOtherTheGatewayAndTheManagementAddress() {
        LabNode node1 = lab.node(1);
        LabNode node2 = lab.node(2);

        assertThat(node1.ping(node2.address(), PING_DEADLINE)).as("node1 -> node2 on the VIP network").isTrue();
        assertThat(node2.ping(node1.address(), PING_DEADLINE)).as("node2 -> node1 on the VIP network").isTrue();
        assertThat(node1.ping(lab.gateway().address(), PING_DEADLINE)).as("node1 -> gateway").isTrue();
        assertThat(node2.ping(lab.gateway().address(), PING_DEADLINE)).as("node2 -> gateway").isTrue();
        assertThat(lab.client().ping(node1.address(), PING_DEADLINE)).as("client -> node1").isTrue();
        assertThat(node1.ping(node2.heartbeatAddress(), PING_DEADLINE)).as("node1 -> node2 heartbeat").isTrue();
        assertThat(node1.ping(lab.managementAddress(), PING_DEADLINE)).as("node1 -> root 203.0.113.1").isTrue();
        assertThat(node2.ping(lab.managementAddress(), PING_DEADLINE)).as("node2 -> root 203.0.113.1").isTrue();
        assertThat(node1.run(List.of("ip", "route", "show", "default")).output())
                .contains("via " + LabTopology.GATEWAY_ADDRESS + " dev eth0");
    }

    @Test
    @Order(2)
    void isolatedNodeKeepsItsCarrierButLosesTheVipNetworkWhileTheHeartbeatWorks() {
        LabNode node1 = lab.node(1);
        LabNode node2 = lab.node(2);
        try {
            lab.faults().isolate(node1);

            assertThat(node1.hasCarrier()).as("node1 eth0 carrier while isolated").isTrue();
            assertThat(node1.run(List.of("ip", "-o", "link", "show", "eth0")).output()).contains("state UP");
            assertThat(node1.ping(node2.address(), PING_DEADLINE)).as("node1 -> node2 while isolated").isFalse();
            assertThat(node2.ping(node1.address(), PING_DEADLINE)).as("node2 -> node1 while isolated").isFalse();
            assertThat(node1.ping(lab.gateway().address(), PING_DEADLINE)).as("node1 -> gateway while isolated").isFalse();
            assertThat(node1.ping(node2.heartbeatAddress(), PING_DEADLINE)).as("heartbeat while isolated").isTrue();
            assertThat(node1.ping(lab.managementAddress(), PING_DEADLINE)).as("management while isolated").isTrue();
        } finally {
            lab.faults().heal(node1);
        }
        assertThat(node1.ping(node2.address(), PING_DEADLINE)).as("node1 -> node2 after heal").isTrue();
        assertThat(node1.ping(lab.gateway().address(), PING_DEADLINE)).as("node1 -> gateway after heal").isTrue();
    }

    @Test
    @Order(3)
    void cutHeartbeatLeavesTheVipNetworkAloneAndGatewayDownSilencesTheIsolationHost() {
        LabNode node1 = lab.node(1);
        LabNode node2 = lab.node(2);
        try {
            lab.faults().cutHeartbeat(node1);
            assertThat(node1.ping(node2.heartbeatAddress(), PING_DEADLINE)).as("heartbeat while cut").isFalse();
            assertThat(node1.ping(node2.address(), PING_DEADLINE)).as("VIP network while heartbeat cut").isTrue();
        } finally {
            lab.faults().restoreHeartbeat(node1);
        }
        assertThat(node1.ping(node2.heartbeatAddress(), PING_DEADLINE)).as("heartbeat restored").isTrue();
        try {
            lab.faults().gatewayDown();
            assertThat(node1.ping(lab.gateway().address(), PING_DEADLINE)).as("gateway while down").isFalse();
        } finally {
            lab.faults().gatewayUp();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> node1.ping(lab.gateway().address(), PING_DEADLINE));
    }

    @Test
    @Order(4)
    void plainUcarpLeavesTheVipOnAnIsolatedMasterWhileTheBackupTakesItToo() {
        LabNode first = lab.node(1);
        LabNode second = lab.node(2);
        Process firstUcarp = startPlainUcarp(first);
        Process secondUcarp = null;
        try {
            await().atMost(Duration.ofSeconds(8)).until(() -> first.hasAddress(VIP));
            secondUcarp = startPlainUcarp(second);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> lab.holders(VIP).equals(List.of(first)));

            lab.faults().isolate(first);
            // the seed's problem: carrier stays up, so the isolated master never lets go
            await().atMost(Duration.ofSeconds(6)).until(() -> second.hasAddress(VIP));
            assertThat(lab.holders(VIP)).as("both hold the VIP while node1 is isolated").containsExactly(first, second);

            lab.faults().heal(first);
            await().atMost(Duration.ofSeconds(5)).until(() -> lab.holders(VIP).size() == 1);
        } finally {
            lab.faults().heal(first);
            stopUcarp(firstUcarp, first);
            if (secondUcarp != null) {
                stopUcarp(secondUcarp, second);
            }
        }
    }

    @Test
    @Order(5)
    void backupTakesTheVipWithinSecondsWhenTheMasterDies() {
        LabNode first = lab.node(1);
        LabNode second = lab.node(2);
        Process firstUcarp = startPlainUcarp(first);
        await().atMost(Duration.ofSeconds(8)).until(() -> first.hasAddress(VIP));
        Process secondUcarp = startPlainUcarp(second);

        // if the adverts did not cross br-vip, the second ucarp would claim the VIP after ~3 s
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> lab.holders(VIP).equals(List.of(first)));

        try (ClientPinger pinger = lab.startPinger(VIP)) {
            await().atMost(Duration.ofSeconds(3)).until(() -> pinger.replyCountSince(Instant.now().minusMillis(500)) > 10);

            Instant faultAt = Instant.now();
            // a dying host: ucarp gets no chance to run its down script, and the host stops answering
            lab.faults().killHard(firstUcarp);
            lab.faults().linkDown(first);

            await().atMost(Duration.ofSeconds(8)).until(() -> second.hasAddress(VIP));
            Instant backupHolds = Instant.now();
            await().atMost(Duration.ofSeconds(3)).until(() -> pinger.repliedSince(backupHolds));

            OutageReport report = pinger.report();
            Instant windowEnd = report.lastReply().orElseThrow();
            OutageReport.Gap outage = report.longestGap(faultAt.minusMillis(200), windowEnd);
            System.out.printf("[%s] plain ucarp -b 1, master killed (kill -9 + link down): client outage %d ms "
                    + "(%s .. %s), %d replies in window%n", lab.runPrefix(), outage.duration().toMillis(),
                    outage.start(), outage.end(), report.replyCount(faultAt.minusMillis(200), windowEnd));

            assertThat(outage.duration()).isBetween(Duration.ofMillis(1_500), Duration.ofMillis(4_500));
        }
        assertThat(second.hasAddress(VIP)).as("backup holds the VIP").isTrue();
        assertThat(first.hasAddress(VIP)).as("kill -9 leaves the VIP configured on the dead master").isTrue();
        assertThat(secondUcarp.isAlive()).isTrue();
    }

    @Test
    @Order(6)
    void closeRemovesEveryNamespaceAndProcessOfTheRun() throws IOException {
        Lab own = Lab.builder().nodes(1).build();
        Path ownScripts = SeedHooks.write(own.runPrefix());
        try {
            Process ucarp = startPlainUcarp(own.node(1), ownScripts, own);
            assertThat(ucarp.isAlive()).isTrue();
            assertThat(own.existingNamespaces()).hasSize(4);
            assertThat(Path.of("/sys/class/net", own.runPrefix())).as("root management veth").exists();

            own.close();

            assertThat(own.existingNamespaces()).isEmpty();
            assertThat(processesMentioning(own.runPrefix())).as("processes of the run").isEmpty();
            assertThat(ucarp.isAlive()).isFalse();
            assertThat(Path.of("/sys/class/net", own.runPrefix())).as("root management veth").doesNotExist();
            assertThat(RunMarker.file(RunMarker.DEFAULT_DIRECTORY, own.runPrefix())).doesNotExist();
        } finally {
            own.close();
            deleteTree(ownScripts);
        }
    }

    @Test
    @Order(7)
    void removeStaleDeletesALabWhoseOwnerIsGone() throws Exception {
        String prefix = fakeRunPrefixOtherThan(lab.runPrefix());
        String namespace = prefix + "-node1";
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path marker = RunMarker.file(RunMarker.DEFAULT_DIRECTORY, prefix);
        Process sleeper = null;
        try {
            NetnsCommands.runChecked(List.of("ip", "netns", "add", namespace));
            sleeper = new ProcessBuilder(NetnsCommands.inNamespace(namespace, List.of("sleep", "300"))).start();
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, dead.pid() + " 0\n");

            List<String> removed = Lab.removeStale();

            assertThat(removed).contains(prefix);
            assertThat(LabTeardown.namespacesOf(prefix)).isEmpty();
            assertThat(marker).doesNotExist();
            Process killed = sleeper;
            await().atMost(Duration.ofSeconds(5)).until(() -> !killed.isAlive());
            assertThat(removed).doesNotContain(lab.runPrefix());
            assertThat(lab.existingNamespaces()).as("a live lab is left alone").isNotEmpty();
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
            NetnsCommands.run(List.of("ip", "netns", "del", namespace));
            Files.deleteIfExists(marker);
        }
    }

    @Test
    @Order(8)
    void aLabIsRefusedWhileAnotherProcessRunsOneAndNothingIsLeftBehind() throws Exception {
        String prefix = fakeRunPrefixOtherThan(lab.runPrefix());
        Process otherOwner = new ProcessBuilder("sleep", "60").start();
        Path marker = RunMarker.file(RunMarker.DEFAULT_DIRECTORY, prefix);
        try {
            long started = otherOwner.info().startInstant().orElseThrow().toEpochMilli();
            Files.writeString(marker, otherOwner.pid() + " " + started + "\n");
            List<String> before = LabTeardown.namespacesOf("carplab");

            assertThat(Lab.liveRuns()).containsExactly(prefix + " (pid " + otherOwner.pid() + ")");
            assertThatThrownBy(() -> Lab.builder().nodes(1).build())
                    .isInstanceOf(LabException.class)
                    .hasMessageStartingWith("another lab is running: " + prefix + " (pid " + otherOwner.pid() + ")");
            assertThat(LabTeardown.namespacesOf("carplab")).containsExactlyInAnyOrderElementsOf(before);
        } finally {
            otherOwner.destroyForcibly();
            Files.deleteIfExists(marker);
        }
        assertThat(Lab.liveRuns()).as("this process's own lab does not count").isEmpty();
    }

    /** A prefix no live lab uses: reusing a live one would let the fake marker condemn a real lab. */
    private static String fakeRunPrefixOtherThan(String live) {
        String candidate;
        do {
            candidate = String.format("carplab-%06x", new java.security.SecureRandom().nextInt(1 << 24));
        } while (candidate.equals(live) || Files.exists(RunMarker.file(RunMarker.DEFAULT_DIRECTORY, candidate)));
        return candidate;
    }

    /** SIGKILL, then the clean-up a killed ucarp never does: remove the VIP. */
    private static void stopUcarp(Process ucarp, LabNode node) {
        ucarp.destroyForcibly();
        node.run(List.of("ip", "addr", "del", VIP + "/" + LabTopology.PREFIX_LENGTH, "dev", node.vipInterface()));
    }

    private Process startPlainUcarp(LabNode node) {
        return startPlainUcarp(node, scripts, lab);
    }

    /** The seed's plain ucarp: advbase 1, preempt, down script on exit, output kept next to the scripts. */
    private static Process startPlainUcarp(LabNode node, Path scripts, Lab owner) {
        Path log = scripts.resolve("ucarp-" + node.name() + ".log");
        ProcessBuilder builder = node.command(List.of("ucarp", "-i", node.vipInterface(), "-s", node.address(),
                "-v", "99", "-p", "labpass", "-a", VIP, "-b", "1", "-P", "-z",
                "-u", scripts.resolve(SeedHooks.UP).toString(), "-d", scripts.resolve(SeedHooks.DOWN).toString(),
                "-x", Integer.toString(LabTopology.PREFIX_LENGTH)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        return node.start(builder);
    }



    private static List<String> processesMentioning(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.contains(text)) {
                        found.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException vanished) {
                    // the process exited while we looked
                }
            }
        }
        return found;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
