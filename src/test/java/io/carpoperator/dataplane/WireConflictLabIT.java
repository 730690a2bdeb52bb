package io.carpoperator.dataplane;

import static io.carpoperator.dataplane.LabObservations.measured;
import static io.carpoperator.dataplane.LabObservations.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeState;
import io.carpoperator.dataplane.LabAgents.RunningVip;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.SeedHooks;
import io.carpoperator.testing.LabTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Other speakers on the VIP's link, as the agent sees them on the wire: a foreign ucarp that uses our VHID for another
 * address and password (another cluster, a firewall pair), and a foreign host that configures our VIP by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@LabTest
class WireConflictLabIT {

    private static final String VIP = "198.51.100.40";
    private static final String FOREIGN_VIP = "198.51.100.41";
    private static final int VHID = 51;
    private static final int BACKUP_SKEW = 10;

    private Lab lab;
    private LabAgents agents;
    private LabNode node1;
    private LabNode node2;
    private LabNode stranger;
    private Path hooks;
    private Process foreign;

    @BeforeAll
    void buildLab() throws IOException {
        lab = Lab.builder().nodes(3).build();
        agents = new LabAgents(lab);
        node1 = lab.node(1);
        node2 = lab.node(2);
        stranger = lab.node(3);
        hooks = SeedHooks.write(lab.runPrefix());
    }

    @AfterEach
    void stopStranger() throws InterruptedException {
        if (foreign != null) {
            foreign.destroyForcibly();
            foreign.waitFor(5, TimeUnit.SECONDS);
            foreign = null;
        }
        if (lab != null) {
            agents.stopAll();
            for (String address : List.of(VIP, FOREIGN_VIP)) {
                if (stranger.hasAddress(address)) {
                    stranger.run(List.of("ip", "addr", "del", address + "/24", "dev", stranger.vipInterface()));
                }
            }
        }
    }

    @AfterAll
    void removeLab() throws IOException {
        try {
            LabAgents.close(agents, lab);
        } finally {
            if (hooks != null) {
                try (Stream<Path> files = Files.walk(hooks)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static String macOf(LabNode node) {
        return node.run(List.of("cat", "/sys/class/net/" + node.vipInterface() + "/address")).orThrow().output().strip()
                .toLowerCase(Locale.ROOT);
    }

    private static boolean reports(RunningVip vip, WireConflict.Kind kind, String senderOrMac) {
        return vip.runner().report().conflicts().stream().anyMatch(c -> c.kind() == kind
                && (senderOrMac.equals(c.sender()) || senderOrMac.equals(c.senderMac())));
    }

    @Test
    void aForeignUcarpOnOurVhidIsReportedWithItsAddressByMasterAndBackupWhileNeitherBacksOffOrFlaps() throws IOException {
        RunningVip[] pair = agents.masterAndBackup(node1, node2, VIP, VHID, BACKUP_SKEW, false);
        long masterPid = pair[0].runner().ucarpPid().orElseThrow();
        long backupPid = pair[1].runner().ucarpPid().orElseThrow();

        Instant started = Instant.now();
        foreign = stranger.start(stranger.command(List.of("ucarp", "-i", stranger.vipInterface(), "-s", stranger.address(),
                "-v", Integer.toString(VHID), "-p", "other-secret", "-a", FOREIGN_VIP, "-b", "1", "-k", "50",
                "-u", hooks.resolve(SeedHooks.UP).toString(), "-d", hooks.resolve(SeedHooks.DOWN).toString(),
                "-x", "24")).redirectErrorStream(true).redirectOutput(hooks.resolve("stranger-ucarp.log").toFile()));

        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                    reports(pair[0], WireConflict.Kind.FOREIGN_ADVERT, stranger.address())
                            && reports(pair[1], WireConflict.Kind.FOREIGN_ADVERT, stranger.address()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not reported by both nodes; node1 reports " + pair[0].runner().report().conflicts()
                    + ", node2 " + pair[1].runner().report().conflicts() + "; the stranger's ucarp said:\n"
                    + Files.readString(hooks.resolve("stranger-ucarp.log")), e);
        }
        measured("foreign ucarp started until both nodes report it", Duration.between(started, Instant.now()).toMillis() + " ms");

        // the stranger claims its own address after its master-down timer and keeps advertising: watch a while
        pause(Duration.ofSeconds(8));
        assertThat(pair[0].state()).isEqualTo(NodeState.MASTER);
        assertThat(pair[1].state()).isEqualTo(NodeState.BACKUP);
        assertThat(pair[0].everReported(NodeState.FAILED) || pair[1].everReported(NodeState.FAILED))
                .as("a node backed off from the stranger's adverts").isFalse();
        assertThat(pair[0].runner().ucarpPid()).as("node1's ucarp was never restarted").hasValue(masterPid);
        assertThat(pair[1].runner().ucarpPid()).as("node2's ucarp was never restarted").hasValue(backupPid);
        assertThat(lab.holders(VIP)).containsExactly(node1);
        WireConflict conflict = pair[1].runner().report().conflicts().get(0);
        assertThat(conflict.vhid()).isEqualTo(VHID);
        assertThat(conflict.detail()).contains(stranger.address()).contains("do not authenticate");
        assertThat(conflict.count()).isGreaterThan(3);

        foreign.destroyForcibly();
        assertThat(pair[1].runner().report().conflicts()).as("still reported until it has been quiet a while").isNotEmpty();
    }

    @Test
    void aMasterReportsAForeignHostThatConfiguresItsVipAndStopsOnceTheAddressIsGone() {
        RunningVip[] pair = agents.masterAndBackup(node1, node2, VIP, VHID + 1, BACKUP_SKEW, false);
        String strangerMac = macOf(stranger);

        Instant added = Instant.now();
        stranger.run(List.of("ip", "addr", "add", VIP + "/24", "dev", stranger.vipInterface())).orThrow();

        Duration bound = WireWatch.OWNER_CHECK_INTERVAL.plus(WireWatch.OWNER_RECHECK).plus(WireWatch.OWNER_CHECK_DEADLINE)
                .plusSeconds(2);
        await().atMost(bound).pollInterval(Duration.ofMillis(50))
                .until(() -> reports(pair[0], WireConflict.Kind.DUPLICATE_OWNER, strangerMac));
        measured("foreign host configured the VIP until the master reports it",
                Duration.between(added, Instant.now()).toMillis() + " ms");
        assertThat(pair[1].runner().report().conflicts()).as("a backup does not ask").isEmpty();

        stranger.run(List.of("ip", "addr", "del", VIP + "/24", "dev", stranger.vipInterface())).orThrow();
        await().atMost(WireWatch.OWNER_CHECK_INTERVAL.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> pair[0].runner().report().conflicts().isEmpty());
        assertThat(pair[0].state()).isEqualTo(NodeState.MASTER);
    }
}
