package io.carpoperator.dataplane;

import static io.carpoperator.dataplane.LabObservations.awaitReplies;
import static io.carpoperator.dataplane.LabObservations.measured;
import static io.carpoperator.dataplane.LabObservations.outage;
import static io.carpoperator.dataplane.LabObservations.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.dataplane.LabAgents.RunningVip;
import io.carpoperator.api.NodeState;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.LabTopology;
import io.carpoperator.lab.OutageReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.carpoperator.testing.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent's data plane on a real three-node lab (needs root, ucarp, iproute2, iputils): what a client pinging the
 * VIP every 10 ms sees, and what the runners report, under every fault of the seed and DESIGN.md. Measured figures
 * are printed with the prefix "MEASURED".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@LabTest
class VipRunnerLabIT {

    private static final String VIP = LabTopology.SUGGESTED_VIP;
    private static final String SECOND_VIP = "198.51.100.20";
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(4);
    private static final int BACKUP_SKEW = 10;

    private Lab lab;
    private LabAgents agents;
    private LabNode node1;
    private LabNode node2;
    private LabNode node3;
    private List<LabNode> pair;

    @BeforeAll
    void buildLab() throws IOException {
        lab = Lab.builder().nodes(3).build();
        agents = new LabAgents(lab);
        node1 = lab.node(1);
        node2 = lab.node(2);
        node3 = lab.node(3);
        pair = List.of(node1, node2);
    }

    @AfterEach
    void resetFaults() {
        if (lab == null) {
            return;
        }
        agents.stopAll();
        for (LabNode node : lab.nodes()) {
            if (!node.hasCarrier()) {
                lab.faults().linkUp(node);
            }
            lab.faults().heal(node);
            lab.faults().restoreHeartbeat(node);
        }
        lab.faults().gatewayUp();
    }

    @AfterAll
    void removeLab() throws IOException {
        LabAgents.close(agents, lab);
    }

    /**
     * node1 MASTER (skew 0), node2 BACKUP (skew 10: ucarp checks its master-down timer only once per advert period
     * of advbase + skew/256, so a large skew would add up to a period to every failover).
     */
    private RunningVip[] masterAndBackup(String vip, int vhid, boolean preempt) {
        return agents.masterAndBackup(node1, node2, vip, vhid, BACKUP_SKEW, preempt);
    }

    private static String ms(Duration d) {
        return d.toMillis() + " ms";
    }

    // ---- failover ----------------------------------------------------------------------------------------------

    @Test
    void backupServesWithinFourSecondsWhenTheMasterUcarpIsKilledAndTheKilledOneIsRestartedWithoutSplitBrain() {
        RunningVip[] vips = masterAndBackup(VIP, 31, false);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant killedAt = Instant.now();
            lab.faults().killHard(master.runner().ucarpPid().orElseThrow());

            int bothHeld = 0;
            Instant until = killedAt.plusSeconds(6);
            while (Instant.now().isBefore(until)) {
                if (lab.holders(VIP).size() > 1) {
                    bothHeld++;
                }
                pause(Duration.ofMillis(25));
            }
            Duration outage = outage(pinger, killedAt, Instant.now());
            measured("failover outage after kill -9 of the master's ucarp", ms(outage));

            assertThat(outage).isLessThan(FAILOVER_BOUND);
            assertThat(backup.state()).isEqualTo(NodeState.MASTER);
            assertThat(bothHeld).as("samples in which both nodes held the VIP").isZero();
            assertThat(master.runner().report().ucarpRestarts()).isGreaterThanOrEqualTo(1);
            master.awaitState(NodeState.BACKUP, Duration.ofSeconds(3));
            assertThat(lab.holders(VIP)).containsExactly(node2);
        }
    }

    @Test
    void backupServesWithinFourSecondsWhenTheMasterLinkGoesDown() {
        RunningVip[] vips = masterAndBackup(VIP, 32, false);
        RunningVip backup = vips[1];
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant downAt = Instant.now();
            lab.faults().linkDown(node1);
            backup.awaitState(NodeState.MASTER, FAILOVER_BOUND);
            await().atMost(Duration.ofSeconds(2)).until(() -> pinger.repliedSince(Instant.now().minusMillis(100)));
            Duration outage = outage(pinger, downAt, Instant.now());
            measured("failover outage after link down on the master", ms(outage));
            assertThat(outage).isLessThan(FAILOVER_BOUND);
        }
    }

    // ---- graceful handover -------------------------------------------------------------------------------------

    @Test
    void gracefulStopOfTheMasterHandsOverWithUnderOneSecondOfOutageWithoutPreempt() {
        gracefulHandover(33, false);
    }

    @Test
    void gracefulStopOfTheMasterHandsOverWithUnderOneSecondOfOutageWithPreempt() {
        gracefulHandover(34, true);
    }

    private void gracefulHandover(int vhid, boolean preempt) {
        RunningVip[] vips = masterAndBackup(VIP, vhid, preempt);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant stopAt = Instant.now();
            master.runner().stop(true);
            Instant stopped = Instant.now();
            pause(Duration.ofMillis(1500));
            Duration outage = outage(pinger, stopAt, Instant.now());
            measured("graceful handover outage (preempt " + preempt + ")", ms(outage));
            measured("graceful handover duration of stop(true) (preempt " + preempt + ")", ms(Duration.between(stopAt, stopped)));

            assertThat(outage).isLessThan(Duration.ofSeconds(1));
            assertThat(backup.state()).isEqualTo(NodeState.MASTER);
            assertThat(lab.holders(VIP)).containsExactly(node2);
            assertThat(master.state()).isEqualTo(NodeState.INIT);
        }
    }

    // ---- isolation watchdog ------------------------------------------------------------------------------------

    @Test
    void isolatedMasterWithdrawsWithinTheHoldLimitAndTakesTheVipBackWithPreemptWhenHealed() {
        RunningVip[] vips = masterAndBackup(VIP, 41, true);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        Duration bound = LabAgents.PROBE_INTERVAL.multipliedBy(LabAgents.HOLD_LIMIT).plusSeconds(1);
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant isolatedAt = Instant.now();
            lab.faults().isolate(node1);
            await().atMost(bound.plusSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> !node1.hasAddress(VIP));
            Duration withdrawn = Duration.between(isolatedAt, Instant.now());
            measured("isolation to withdraw (probe interval " + ms(LabAgents.PROBE_INTERVAL) + ", hold limit "
                    + LabAgents.HOLD_LIMIT + ")", ms(withdrawn));
            assertThat(withdrawn).isLessThanOrEqualTo(bound);
            VipReport isolated = master.awaitState(NodeState.ISOLATED, Duration.ofSeconds(1)).runner().report();
            assertThat(isolated.reason()).contains("withdrawn").contains("peer " + node2.address() + " unreachable")
                    .contains("heartbeat " + node2.heartbeatAddress() + " ok");

            backup.awaitState(NodeState.MASTER, FAILOVER_BOUND);
            await().atMost(Duration.ofSeconds(2)).until(() -> pinger.repliedSince(Instant.now().minusMillis(100)));
            measured("client outage while the master was isolated", ms(outage(pinger, isolatedAt, Instant.now())));

            Instant healedAt = Instant.now();
            lab.faults().heal(node1);
            master.awaitState(NodeState.MASTER, Duration.ofSeconds(8));
            measured("heal to the preferred node holding the VIP again", ms(Duration.between(healedAt, Instant.now())));
            assertThat(master.reports()).extracting(VipReport::state).containsSubsequence(
                    NodeState.MASTER, NodeState.ISOLATED, NodeState.INIT, NodeState.BACKUP, NodeState.MASTER);
            backup.awaitState(NodeState.BACKUP, Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(2)).until(() -> lab.holders(VIP).equals(List.of(node1)));
        }
    }

    @Test
    void isolatedNodeRecoversThroughTheGatewayWhenItsPeerDiedMeanwhile() {
        RunningVip[] vips = masterAndBackup(VIP, 42, false);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        lab.faults().isolate(node1);
        master.awaitState(NodeState.ISOLATED, Duration.ofSeconds(3));
        backup.awaitState(NodeState.MASTER, FAILOVER_BOUND);

        backup.runner().stop(false);
        lab.faults().linkDown(node2);
        lab.faults().heal(node1);

        try (ClientPinger pinger = lab.startPinger(VIP)) {
            master.awaitState(NodeState.MASTER, Duration.ofSeconds(8));
            assertThat(master.runner().report().reason()).isNotEmpty();
            awaitReplies(pinger);
            assertThat(lab.holders(VIP)).containsExactly(node1);
        }
    }

    @Test
    void isolatedMasterKeepsTheVipWhenItsHeartbeatIsLostTooAsTheSeedDoes() {
        RunningVip[] vips = masterAndBackup(VIP, 43, false);
        RunningVip master = vips[0];
        lab.faults().isolate(node1);
        lab.faults().cutHeartbeat(node1);
        Instant until = Instant.now().plus(LabAgents.PROBE_INTERVAL.multipliedBy(LabAgents.HOLD_LIMIT + 3));
        while (Instant.now().isBefore(until)) {
            assertThat(master.state()).isNotEqualTo(NodeState.ISOLATED);
            pause(Duration.ofMillis(50));
        }
        assertThat(master.everReported(NodeState.ISOLATED)).isFalse();
        assertThat(node1.hasAddress(VIP)).as("without the heartbeat we cannot tell our isolation from a dead neighbourhood").isTrue();
    }

    // ---- authentication and independence -----------------------------------------------------------------------

    @Test
    void nodeWithAWrongPasswordIsIgnoredAndNeverDisturbsTheMaster() {
        RunningVip[] vips = masterAndBackup(VIP, 44, false);
        RunningVip master = vips[0];
        RunningVip backup = vips[1];
        List<LabNode> all = List.of(node1, node2, node3);
        VipSettings right = LabAgents.settings("web", VIP, 44, 0, false, node3, all);
        VipSettings wrong = LabAgents.settings("web", VIP, 44, 0, false, "not-the-secret",
                right.peers(), right.heartbeats());
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            awaitReplies(pinger);
            Instant startedAt = Instant.now();
            RunningVip intruder = agents.start(node3, wrong);
            intruder.awaitState(NodeState.FAILED, Duration.ofSeconds(5));
            assertThat(intruder.runner().report().reason()).contains("different password");
            pause(Duration.ofSeconds(4));

            assertThat(master.state()).isEqualTo(NodeState.MASTER);
            assertThat(backup.state()).isEqualTo(NodeState.BACKUP);
            assertThat(master.reports()).extracting(VipReport::state).doesNotContain(NodeState.ISOLATED, NodeState.FAILED)
                    .endsWith(NodeState.MASTER);
            assertThat(master.reports().stream().filter(r -> !r.since().isBefore(startedAt)))
                    .as("reports of the master after the intruder started").allMatch(r -> r.state() == NodeState.MASTER);
            assertThat(intruder.everReported(NodeState.MASTER)).isFalse();
            assertThat(lab.holders(VIP)).containsExactly(node1);
            Duration outage = outage(pinger, startedAt, Instant.now());
            measured("client outage while a node with a wrong password joined", ms(outage));
            assertThat(outage).isLessThan(Duration.ofMillis(200));
        }
    }

    @Test
    void twoVipsOnOneNodeFailOverIndependently() {
        RunningVip[] first = masterAndBackup(VIP, 45, false);
        RunningVip[] second = masterAndBackup(SECOND_VIP, 46, false);
        try (ClientPinger firstPinger = lab.startPinger(VIP); ClientPinger secondPinger = lab.startPinger(SECOND_VIP)) {
            awaitReplies(firstPinger);
            awaitReplies(secondPinger);
            Instant killedAt = Instant.now();
            lab.faults().killHard(first[0].runner().ucarpPid().orElseThrow());
            first[1].awaitState(NodeState.MASTER, FAILOVER_BOUND);
            await().atMost(Duration.ofSeconds(2)).until(() -> firstPinger.repliedSince(Instant.now().minusMillis(100)));
            pause(Duration.ofMillis(500));
            Instant now = Instant.now();
            measured("two VIPs: outage of the VIP whose ucarp was killed", ms(outage(firstPinger, killedAt, now)));
            measured("two VIPs: outage of the other VIP", ms(outage(secondPinger, killedAt, now)));

            assertThat(outage(firstPinger, killedAt, now)).isLessThan(FAILOVER_BOUND);
            assertThat(outage(secondPinger, killedAt, now)).isLessThan(Duration.ofMillis(200));
            assertThat(second[0].state()).isEqualTo(NodeState.MASTER);
            assertThat(second[1].state()).isEqualTo(NodeState.BACKUP);
            assertThat(lab.holders(VIP)).containsExactly(node2);
            assertThat(lab.holders(SECOND_VIP)).containsExactly(node1);
        }
    }
}
