package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeState;
import io.carpoperator.dataplane.LabAgents;
import io.carpoperator.dataplane.LabAgents.RunningVip;
import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.testing.LabTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CARP regression suites' cases, ported to the lab with the agent's data plane: OpenBSD's
 * {@code regress/sys/netinet/carp}, FreeBSD's {@code tests/sys/netinet/carp.sh} and NetBSD's {@code tests/net/carp}
 * each start a master and a backup and check who is master after start-up, after a demotion, after the master's
 * interface goes down and after it halts, and that two masters never persist. Each case here asserts a bound derived
 * from CARP's timers at advbase 1 (master-down = 3 x advbase + advskew/256), printed as "MEASURED".
 *
 * <p>Holders are polled every 25 ms ({@code ip addr} in each node), so a "two holders" stretch is measured to about
 * that resolution.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@LabTest
class CarpRegressLabIT {

    private static final String VIP = "198.51.100.30";
    private static final int ADVBASE = 1;
    private static final int BACKUP_SKEW = 10;
    /** The backup's master-down interval at advbase 1, skew 10. */
    private static final Duration MASTER_DOWN = Duration.ofMillis(3 * 1000L * ADVBASE + BACKUP_SKEW * 1000L / 256);
    /**
     * ucarp checks its timers when a packet arrives or its poll times out (every advbase + advskew/256 in BACKUP),
     * so it declares MASTER up to one such step after its timer expired; plus the up hook and the holder poll.
     */
    private static final Duration DETECTION_SLACK = Duration.ofMillis(1000L * ADVBASE + BACKUP_SKEW * 1000L / 256 + 300);
    /** A fault at any point of the master's advert cycle: master-down from its last advert, which is up to advbase old. */
    private static final Duration FAILOVER_BOUND = MASTER_DOWN.plus(DETECTION_SLACK);
    /** Two masters see each other's next advert within one advert period; the worse one steps down on reading it. */
    private static final Duration TWO_MASTERS_BOUND = Duration.ofMillis(1000L * ADVBASE + 400);
    /**
     * The agent demotes a master it stops through a helper ucarp whose master-down timer is one period with
     * {@code -r 1} at advbase 1, so the backup holds the VIP about 2 s after the stop began (see GracefulHandover)...
     */
    private static final Duration HANDOVER_BOUND = Duration.ofSeconds(3);
    /** ...while the old master keeps serving until then: the client sees only the ARP switch. */
    private static final Duration HANDOVER_OUTAGE_BOUND = Duration.ofMillis(500);

    private Lab lab;
    private LabAgents agents;
    private LabNode node1;
    private LabNode node2;
    private LabNode node3;

    @BeforeAll
    void buildLab() throws IOException {
        lab = Lab.builder().nodes(3).build();
        agents = new LabAgents(lab);
        node1 = lab.node(1);
        node2 = lab.node(2);
        node3 = lab.node(3);
    }

    @AfterEach
    void resetFaults() {
        if (lab == null) {
            return;
        }
        agents.stopAll();
        lab.faults().endPartition(lab.nodes());
        for (LabNode node : lab.nodes()) {
            if (!node.hasCarrier()) {
                lab.faults().linkUp(node);
            }
            lab.faults().heal(node);
        }
    }

    @AfterAll
    void removeLab() throws IOException {
        LabAgents.close(agents, lab);
    }

    private VipSettings settings(LabNode self, int vhid, int skew, boolean preempt, List<LabNode> group) {
        List<LabNode> peers = group.stream().filter(n -> n != self).toList();
        return LabAgents.settings("regress", VIP, vhid, skew, preempt, "regress-secret",
                peers.stream().map(LabNode::address).toList(), peers.stream().map(LabNode::heartbeatAddress).toList(),
                Duration.ofMillis(500), 2);
    }

    private HolderSampler sample(List<LabNode> nodes) {
        return HolderSampler.start(nodes, VIP, HolderSampler.PERIOD);
    }

    private static void measured(String what, Duration value) {
        System.out.println("MEASURED regress: " + what + ": " + value.toMillis() + " ms");
    }

    private static Duration since(Instant from, Instant to) {
        return Duration.between(from, to);
    }

    private RunningVip[] masterAndBackup(int vhid, boolean preempt) {
        List<LabNode> pair = List.of(node1, node2);
        RunningVip master = agents.start(node1, settings(node1, vhid, 0, preempt, pair));
        master.awaitState(NodeState.MASTER, Duration.ofSeconds(8));
        RunningVip backup = agents.start(node2, settings(node2, vhid, BACKUP_SKEW, preempt, pair));
        backup.awaitState(NodeState.BACKUP, Duration.ofSeconds(5));
        return new RunningVip[] {master, backup};
    }

    // ---- initial master/backup (OpenBSD carp_1, FreeBSD basic_v4, NetBSD carp_handover start-up) ---------------

    @Test
    void startedTogetherThePreferredNodeBecomesMasterWithinThreeAdvertPeriodsAndTheOtherNeverHoldsTheVip() {
        List<LabNode> pair = List.of(node1, node2);
        try (HolderSampler holders = sample(pair)) {
            Instant start = Instant.now();
            RunningVip preferred = agents.start(node1, settings(node1, 41, 0, true, pair));
            RunningVip other = agents.start(node2, settings(node2, 41, BACKUP_SKEW, true, pair));

            Instant mastered = holders.await(0, true, start, Duration.ofSeconds(8)).orElseThrow(
                    () -> new AssertionError("node1 never held the VIP"));
            other.awaitState(NodeState.BACKUP, Duration.ofSeconds(3));
            pause(Duration.ofSeconds(2));
            measured("start to the first master", since(start, mastered));

            // master-down at skew 0 is 3 s from ucarp's start; the JVM-side start of two runners adds a little
            assertThat(since(start, mastered)).isLessThan(MASTER_DOWN.plus(DETECTION_SLACK).plusSeconds(1));
            assertThat(preferred.state()).isEqualTo(NodeState.MASTER);
            assertThat(other.state()).isEqualTo(NodeState.BACKUP);
            assertThat(holders.first(1, true, start)).as("node2 held the VIP at some point").isEmpty();
            assertThat(other.everReported(NodeState.MASTER)).isFalse();
        }
    }

    // ---- demotion and handover (OpenBSD carpdemote, FreeBSD negative_demotion) --------------------------------

    @Test
    void aDemotedMasterHandsTheVipToTheBackupAtOnceAndTakesItBackWithPreemptWhenItReturns() {
        RunningVip[] vips = masterAndBackup(42, true);
        RunningVip backup = vips[1];
        try (HolderSampler holders = sample(List.of(node1, node2)); ClientPinger pinger = lab.startPinger(VIP)) {
            Instant from = Instant.now();
            await().atMost(Duration.ofSeconds(5)).until(() -> pinger.replyCountSince(from) >= 5);
            Instant demoted = Instant.now();
            vips[0].runner().stop(true);
            Instant taken = holders.await(1, true, demoted, HANDOVER_BOUND.plusSeconds(2)).orElseThrow(
                    () -> new AssertionError("node2 did not take the VIP over after node1's handover"));
            backup.awaitState(NodeState.MASTER, Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(2)).until(() -> pinger.replyCountSince(Instant.now().minusMillis(200)) > 0);
            Duration outage = pinger.report().longestGap(demoted, Instant.now()).duration();
            measured("demotion (graceful stop) to the backup holding", since(demoted, taken));
            measured("client outage during the handover", outage);
            assertThat(since(demoted, taken)).isLessThan(HANDOVER_BOUND);
            assertThat(outage).isLessThan(HANDOVER_OUTAGE_BOUND);

            Instant returned = Instant.now();
            RunningVip again = agents.start(node1, settings(node1, 42, 0, true, List.of(node1, node2)));
            Instant back = holders.await(0, true, returned, Duration.ofSeconds(8)).orElseThrow(
                    () -> new AssertionError("node1 did not take the VIP back with preempt"));
            Instant single = holders.await(1, false, back, Duration.ofSeconds(3)).orElseThrow(
                    () -> new AssertionError("node2 kept the VIP after node1 preempted"));
            again.awaitState(NodeState.MASTER, Duration.ofSeconds(2));
            measured("preempting master back to holding", since(returned, back));
            measured("two holders while it preempted", holders.series().longestMultipleHolders(returned, single.plusMillis(1)));
            assertThat(holders.series().longestMultipleHolders(returned, Instant.now())).isLessThan(TWO_MASTERS_BOUND);
            backup.awaitState(NodeState.BACKUP, Duration.ofSeconds(2));
        }
    }

    // ---- interface down (OpenBSD carp_2 ifdown, FreeBSD/NetBSD link state) ------------------------------------

    @Test
    void theBackupHoldsTheVipWithinTheMasterDownIntervalWhenTheMastersInterfaceGoesDownAndGivesItBackWhenItComesUp() {
        RunningVip[] vips = masterAndBackup(43, true);
        try (HolderSampler holders = sample(List.of(node1, node2))) {
            Instant down = Instant.now();
            lab.faults().linkDown(node1);
            Instant taken = holders.await(1, true, down, FAILOVER_BOUND.plusSeconds(2)).orElseThrow(
                    () -> new AssertionError("node2 never took the VIP over after node1's link went down"));
            measured("ifdown to the backup holding", since(down, taken));
            assertThat(since(down, taken)).isLessThan(FAILOVER_BOUND);
            vips[1].awaitState(NodeState.MASTER, Duration.ofSeconds(2));

            Instant up = Instant.now();
            lab.faults().linkUp(node1);
            Instant back = holders.await(0, true, up, Duration.ofSeconds(8)).orElseThrow(
                    () -> new AssertionError("node1 did not take the VIP back after its link came up"));
            holders.await(1, false, back, Duration.ofSeconds(3)).orElseThrow(
                    () -> new AssertionError("node2 kept the VIP after node1 came back"));
            measured("ifup to the preferred node holding again", since(up, back));
            Duration both = holders.series().longestMultipleHolders(up, Instant.now());
            measured("two holders after ifup", both);
            assertThat(both).isLessThan(TWO_MASTERS_BOUND);
        }
    }

    // ---- halt (OpenBSD carp_3 halt of the master) --------------------------------------------------------------

    @Test
    void aHaltedMasterIsReplacedWithinTheMasterDownIntervalAndRejoinsWithoutTwoMastersPersisting() {
        RunningVip[] vips = masterAndBackup(44, true);
        try (HolderSampler holders = sample(List.of(node1, node2))) {
            // a halted node: off the wire at once, then everything on it gone (no handover, address removed)
            Instant halted = Instant.now();
            lab.faults().isolate(node1);
            vips[0].runner().stop(false);
            Instant taken = holders.await(1, true, halted, FAILOVER_BOUND.plusSeconds(2)).orElseThrow(
                    () -> new AssertionError("node2 never took the VIP over after node1 halted"));
            measured("halt to the backup holding", since(halted, taken));
            assertThat(since(halted, taken)).isLessThan(FAILOVER_BOUND);

            Instant booted = Instant.now();
            lab.faults().heal(node1);
            RunningVip again = agents.start(node1, settings(node1, 44, 0, true, List.of(node1, node2)));
            holders.await(0, true, booted, Duration.ofSeconds(10)).orElseThrow(
                    () -> new AssertionError("node1 did not take the VIP back after it booted"));
            again.awaitState(NodeState.MASTER, Duration.ofSeconds(2));
            vips[1].awaitState(NodeState.BACKUP, Duration.ofSeconds(3));
            Duration both = holders.series().longestMultipleHolders(booted, Instant.now());
            measured("two holders after the halted master came back", both);
            assertThat(both).isLessThan(TWO_MASTERS_BOUND);
        }
    }

    // ---- two masters never persist (FreeBSD/NetBSD: both sides master after a split, one after the merge) -------

    @Test
    void afterALinkSplitEachSideServesAndWithinOneAdvertPeriodOfTheMergeOnlyThePreferredOneHoldsTheVip() {
        List<LabNode> pair = List.of(node1, node2);
        RunningVip[] vips = masterAndBackup(45, false);
        try (HolderSampler holders = sample(pair)) {
            lab.faults().partition(pair);
            Instant split = Instant.now();
            holders.await(1, true, split, FAILOVER_BOUND.plusSeconds(2)).orElseThrow(
                    () -> new AssertionError("node2 never became master on its side of the split"));
            pause(Duration.ofSeconds(1));
            assertThat(vips[0].state()).as("node1 on its side of the split").isEqualTo(NodeState.MASTER);
            assertThat(vips[1].state()).as("node2 on its side of the split").isEqualTo(NodeState.MASTER);

            Instant merged = Instant.now();
            lab.faults().endPartition(pair);
            Instant single = holders.await(1, false, merged, Duration.ofSeconds(5)).orElseThrow(
                    () -> new AssertionError("both nodes kept the VIP after the split ended"));
            pause(Duration.ofSeconds(3));
            measured("merge to a single holder", since(merged, single));
            assertThat(since(merged, single)).isLessThan(TWO_MASTERS_BOUND);
            assertThat(holders.series().longestMultipleHolders(single, Instant.now())).isZero();
            assertThat(vips[0].state()).isEqualTo(NodeState.MASTER);
            assertThat(vips[1].state()).isEqualTo(NodeState.BACKUP);
        }
    }

    @Test
    void threeNodesStartedTogetherWithEqualSkewSettleOnOneMasterWithinOneAdvertPeriodOfTheFirstClaim() {
        List<LabNode> trio = List.of(node1, node2, node3);
        try (HolderSampler holders = sample(trio)) {
            Instant start = Instant.now();
            List<RunningVip> vips = new ArrayList<>();
            for (LabNode node : trio) {
                vips.add(agents.start(node, settings(node, 46, 0, false, trio)));
            }
            Instant claimed = awaitAnyHolder(holders, trio.size(), start, Duration.ofSeconds(8));
            pause(TWO_MASTERS_BOUND.plusSeconds(2));
            Duration both = holders.series().longestMultipleHolders(start, Instant.now());
            measured("start to the first claim (three nodes, equal skew)", since(start, claimed));
            measured("two or more holders after a simultaneous start", both);
            assertThat(both).isLessThan(TWO_MASTERS_BOUND);
            assertThat(vips.stream().filter(v -> v.state() == NodeState.MASTER).count()).isEqualTo(1);
            assertThat(lab.holders(VIP)).hasSize(1);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Instant awaitAnyHolder(HolderSampler holders, int nodes, Instant after, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            for (int i = 0; i < nodes; i++) {
                var found = holders.first(i, true, after);
                if (found.isPresent()) {
                    return found.get();
                }
            }
            pause(Duration.ofMillis(25));
        }
        throw new AssertionError("no node held the VIP within " + within);
    }
}
