package io.carpoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.agent.LabAgents.RunningVip;
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
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent's data plane on a real three-node lab (needs root, ucarp, iproute2, iputils): what a client pinging the
 * VIP every 10 ms sees, and what the runners report, under every fault of the seed and DESIGN.md. Measured figures
 * are printed with the prefix "MEASURED".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
        Optional<String> reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped, the lab cannot run here: " + reason.orElse(""));
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
        try {
            if (agents != null) {
                agents.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    /**
     * node1 MASTER (skew 0), node2 BACKUP (skew 10: ucarp checks its master-down timer only once per advert period
     * of advbase + skew/256, so a large skew would add up to a period to every failover).
     */
    private RunningVip[] masterAndBackup(String vip, int vhid, boolean preempt) {
        RunningVip master = agents.start(node1, LabAgents.settings("web", vip, vhid, 0, preempt, node1, pair));
        master.awaitState(NodeState.MASTER, Duration.ofSeconds(8));
        RunningVip backup = agents.start(node2, LabAgents.settings("web", vip, vhid, BACKUP_SKEW, preempt, node2, pair));
        backup.awaitState(NodeState.BACKUP, Duration.ofSeconds(5));
        return new RunningVip[] {master, backup};
    }

    private static void awaitReplies(ClientPinger pinger) {
        Instant from = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> pinger.replyCountSince(from) >= 5);
    }

    private static Duration outage(ClientPinger pinger, Instant from, Instant to) {
        OutageReport report = pinger.report();
        return report.longestGap(from, to).duration();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void measured(String what, Object value) {
        System.out.println("MEASURED " + what + ": " + value);
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
}
