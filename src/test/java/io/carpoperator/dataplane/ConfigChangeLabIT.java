package io.carpoperator.dataplane;

import static io.carpoperator.dataplane.LabObservations.awaitReplies;
import static io.carpoperator.dataplane.LabObservations.measured;
import static io.carpoperator.dataplane.LabObservations.outage;
import static io.carpoperator.dataplane.LabObservations.pause;
import static io.carpoperator.dataplane.LabObservations.samplesWithTwoHolders;
import static io.carpoperator.dataplane.VipSettingsFixtures.retuned;
import static io.carpoperator.dataplane.VipSettingsFixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.dataplane.LabAgents.RunningVip;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.LabTopology;
import io.carpoperator.testing.LabTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Configuration changes on a real two-node lab (needs root, ucarp, iproute2, iputils), applied the way the agents
 * apply them ({@link VipRunner#retune}): what a client pinging the VIP every 10 ms sees and who holds the address.
 * Measured figures are printed with the prefix "MEASURED".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@LabTest
class ConfigChangeLabIT {

    private static final String VIP = LabTopology.SUGGESTED_VIP;
    private static final int BACKUP_SKEW = 10;
    /** One master-down timer (3 s at advbase 1), the back-off period and the lab's slack. */
    private static final Duration ROTATION_BOUND = Duration.ofMillis(4500);

    private Lab lab;
    private LabAgents agents;
    private LabNode node1;
    private LabNode node2;
    private List<LabNode> pair;

    @BeforeAll
    void buildLab() throws IOException {
        lab = Lab.builder().nodes(2).build();
        agents = new LabAgents(lab);
        node1 = lab.node(1);
        node2 = lab.node(2);
        pair = List.of(node1, node2);
    }

    @AfterEach
    void stopAgents() {
        if (agents != null) {
            agents.stopAll();
        }
    }

    @AfterAll
    void removeLab() throws IOException {
        LabAgents.close(agents, lab);
    }

    private RunningVip[] masterAndBackup(int vhid) {
        return agents.masterAndBackup(node1, node2, VIP, vhid, BACKUP_SKEW, false);
    }

    @Test
    void newProbeIntervalHoldLimitAndGratuitousArpIntervalKeepUcarpRunningAndTheVipServed() {
        RunningVip[] vips = masterAndBackup(61);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        OptionalLong masterPid = master.runner().ucarpPid();
        OptionalLong backupPid = backup.runner().ucarpPid();
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant changedAt = Instant.now();
            for (RunningVip vip : vips) {
                VipSettings now = LabAgents.settings("web", VIP, 61, vip == master ? 0 : BACKUP_SKEW, false, vip.node(), pair);
                assertThat(vip.runner().retune(retuned(now, true, Duration.ofSeconds(1), 3, Duration.ofSeconds(5)))).isTrue();
            }
            int both = samplesWithTwoHolders(lab, VIP, Duration.ofSeconds(4));
            Duration outage = outage(pinger, changedAt, Instant.now());
            measured("client outage while probe interval, hold limit and GARP interval changed", outage.toMillis() + " ms");

            assertThat(master.runner().ucarpPid()).as("the master's ucarp was not restarted").isEqualTo(masterPid);
            assertThat(backup.runner().ucarpPid()).as("the backup's ucarp was not restarted").isEqualTo(backupPid);
            assertThat(master.state()).isEqualTo(NodeState.MASTER);
            assertThat(backup.state()).isEqualTo(NodeState.BACKUP);
            assertThat(both).as("samples in which both nodes held the VIP").isZero();
            assertThat(outage).isLessThan(Duration.ofMillis(200));
            assertThat(lab.holders(VIP)).containsExactly(node1);
        }
    }

    @Test
    void rotatingThePasswordBackupFirstCostsAtMostOneFailoverAndNeverTwoHolders() {
        RunningVip[] vips = masterAndBackup(62);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        VipSettings masterNow = LabAgents.settings("web", VIP, 62, 0, false, node1, pair);
        VipSettings backupNow = LabAgents.settings("web", VIP, 62, BACKUP_SKEW, false, node2, pair);
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant rotatedAt = Instant.now();
            assertThat(backup.runner().retune(withPassword(backupNow, "lab-secret-2"))).isTrue();
            pause(Duration.ofMillis(200)); // the agents see the change at about the same time, the master a little later
            assertThat(master.runner().retune(withPassword(masterNow, "lab-secret-2"))).isTrue();

            int both = samplesWithTwoHolders(lab, VIP, PasswordRotation.masterGrace(1).plusSeconds(8));
            Duration outage = outage(pinger, rotatedAt, Instant.now());
            measured("longest client gap during a password rotation (master grace "
                    + PasswordRotation.masterGrace(1).toMillis() + " ms)", outage.toMillis() + " ms");

            assertThat(both).as("samples in which both nodes held the VIP").isZero();
            assertThat(outage).isLessThanOrEqualTo(ROTATION_BOUND);
            assertThat(lab.holders(VIP)).hasSize(1);
            assertThat(List.of(master.state(), backup.state())).containsExactlyInAnyOrder(NodeState.MASTER, NodeState.BACKUP);
            assertThat(master.reports().stream().filter(r -> !r.since().isBefore(rotatedAt)))
                    .as("a rotation is no failure").noneMatch(r -> r.state() == NodeState.FAILED);
            assertThat(backup.reports().stream().filter(r -> !r.since().isBefore(rotatedAt)))
                    .as("a rotation is no failure").noneMatch(r -> r.state() == NodeState.FAILED);
        }
    }
}
