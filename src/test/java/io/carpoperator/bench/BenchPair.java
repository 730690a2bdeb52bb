package io.carpoperator.bench;

import static org.awaitility.Awaitility.await;

import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.LabTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The two lab nodes every system runs on: node1 is the preferred master, node2 the backup. Also the lab-wide reset
 * between runs, so every run of every system starts from the same network.
 */
record BenchPair(Lab lab, LabNode master, LabNode backup, String vip, String password, Path workDir) {

    static final int PREFIX = LabTopology.PREFIX_LENGTH;

    /** The other node of the pair. */
    LabNode peerOf(LabNode node) {
        return node == master ? backup : master;
    }

    /** The isolation host: the gateway on the VIP network, every node's default route. */
    String isolationHost() {
        return lab.gateway().address();
    }

    void awaitHolder(LabNode node, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> node.hasAddress(vip));
    }

    /** Waits until {@code process} has forked a process named {@code name}, e.g. a JVM its ucarp. */
    void awaitProcess(Process process, String name, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> ProcessTree.descendant(process, name).isPresent());
    }

    /** {@code node}'s MAC address on the VIP network, in lower case as the kernel prints it. */
    String macOf(LabNode node) {
        return node.run(List.of("cat", "/sys/class/net/" + node.vipInterface() + "/address")).orThrow().output().strip()
                .toLowerCase(java.util.Locale.ROOT);
    }

    /** Links up, switch ports forwarding, and the VIP removed wherever a killed process left it. */
    void reset() {
        for (LabNode node : List.of(master, backup)) {
            // the switch cannot change the state of a port whose other end is down: link first
            if (!node.hasCarrier()) {
                lab.faults().linkUp(node);
            }
            lab.faults().heal(node);
            removeVip(node);
        }
    }

    /** Deletes the VIP from {@code node} if it has it, as a crash or a killed process leaves it. */
    void removeVip(LabNode node) {
        if (node.hasAddress(vip)) {
            node.run(List.of("ip", "addr", "del", vip + "/" + PREFIX, "dev", node.vipInterface()));
        }
    }
}
