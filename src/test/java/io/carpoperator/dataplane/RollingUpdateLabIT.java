package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeState;
import io.carpoperator.dataplane.LabAgents.RunningVip;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.testing.LabTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A rolling update of the agents as the DaemonSet does it (maxUnavailable 1): each node's agent in turn gets SIGTERM
 * (graceful stop: a master hands over), is down for a moment (a new pod starting), comes back, and the next node is
 * stopped only once it is ready (past INIT, i.e. a BACKUP again) and {@code minReadySeconds} more have passed. The
 * client must barely notice: the bound on the whole update is 0.5 s of total silence.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollingUpdateLabIT {

    static final String VIP = "198.51.100.60";
    static final Duration TOTAL_OUTAGE_LIMIT = Duration.ofMillis(500);
    /** The client pings every 10 ms; a lost echo or two is not an outage. */
    static final Duration SILENCE_THRESHOLD = Duration.ofMillis(50);
    /** The pod being replaced: image already on the node, a JVM starting. */
    static final Duration POD_RESTART = Duration.ofSeconds(2);
    /**
     * The DaemonSet's minReadySeconds is 10; here a shorter settle after the agent is ready keeps the test short and is
     * stricter: the next node goes sooner after this one became a backup.
     */
    static final Duration MIN_READY = Duration.ofSeconds(3);

    private Lab lab;
    private LabAgents agents;

    @BeforeAll
    void buildLab() throws IOException {
        lab = Lab.builder().nodes(3).build();
        agents = new LabAgents(lab);
    }

    @AfterAll
    void removeLab() throws IOException {
        LabAgents.close(agents, lab);
    }

    @Test
    void restartingEveryAgentInTurnCostsTheClientAtMostHalfASecondInTotal() {
        List<LabNode> nodes = lab.nodes();
        List<RunningVip> running = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            running.add(start(nodes.get(i), i));
            running.get(i).awaitState(i == 0 ? NodeState.MASTER : NodeState.BACKUP, Duration.ofSeconds(8));
        }
        try (ClientPinger pinger = lab.startPinger(VIP)) {
            Instant from = Instant.now();
            await().atMost(Duration.ofSeconds(5)).until(() -> pinger.replyCountSince(from) >= 20);
            Instant updateStarted = Instant.now();

            for (int i = 0; i < nodes.size(); i++) {
                RunningVip old = running.get(i);
                NodeState was = old.state();
                Instant stopAt = Instant.now();
                old.runner().stop(true, VipDataPlane.DEFAULT_STOP_BUDGET);
                System.out.printf("MEASURED rolling update: %s (%s) stopped in %d ms%n", old.node().name(), was,
                        Duration.between(stopAt, Instant.now()).toMillis());
                assertThat(old.node().hasAddress(VIP)).as(old.node().name() + " released the VIP").isFalse();
                pause(POD_RESTART);
                RunningVip fresh = start(nodes.get(i), i);
                running.set(i, fresh);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Set.of(NodeState.BACKUP, NodeState.MASTER).contains(fresh.state()));
                pause(MIN_READY);
                assertThat(lab.holders(VIP)).as("exactly one node holds the VIP after %s came back", fresh.node().name())
                        .hasSize(1);
            }
            Instant updateEnded = Instant.now();
            await().atMost(Duration.ofSeconds(3)).until(() -> pinger.replyCountSince(updateEnded) >= 5);
            Duration total = pinger.report().totalSilence(updateStarted, updateEnded, SILENCE_THRESHOLD);
            Duration longest = pinger.report().longestGap(updateStarted, updateEnded).duration();
            System.out.printf("MEASURED rolling update of %d agents: total client outage %d ms, longest gap %d ms%n",
                    nodes.size(), total.toMillis(), longest.toMillis());
            assertThat(total).isLessThanOrEqualTo(TOTAL_OUTAGE_LIMIT);
        }
    }

    /** node1 preferred (skew 0), then 10 and 20, preempt: the preferred node takes the VIP back when it returns. */
    private RunningVip start(LabNode node, int index) {
        return agents.start(node, LabAgents.settings("web", VIP, 77, 10 * index, true, node, lab.nodes()));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
