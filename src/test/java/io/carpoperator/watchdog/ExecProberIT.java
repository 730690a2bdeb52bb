package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import io.carpoperator.testing.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real ping and arping between two namespaces joined by a veth pair (198.51.100.0/24 only). */
@LabTest
class ExecProberIT {

    private static final String RUN = "cw-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private static final String NODE1 = RUN + "-p1";
    private static final String NODE2 = RUN + "-p2";
    private static final Duration DEADLINE = Duration.ofMillis(400);

    private static final List<String> createdNamespaces = new ArrayList<>();
    private static ScheduledExecutorService timer;
    private static ExecProber prober;

    @BeforeAll
    static void buildLab() throws Exception {
        for (String ns : List.of(NODE1, NODE2)) {
            sh("ip", "netns", "add", ns);
            createdNamespaces.add(ns);
        }
        sh("ip", "link", "add", "cwp1", "netns", NODE1, "type", "veth", "peer", "name", "cwp2", "netns", NODE2);
        sh("ip", "-n", NODE1, "link", "set", "cwp1", "name", "eth0");
        sh("ip", "-n", NODE2, "link", "set", "cwp2", "name", "eth0");
        sh("ip", "-n", NODE1, "addr", "add", "198.51.100.11/24", "dev", "eth0");
        sh("ip", "-n", NODE2, "addr", "add", "198.51.100.12/24", "dev", "eth0");
        sh("ip", "-n", NODE1, "link", "set", "eth0", "up");
        sh("ip", "-n", NODE2, "link", "set", "eth0", "up");
        timer = Executors.newSingleThreadScheduledExecutor();
        prober = new ExecProber(new ProcessProbeCommandRunner(timer), List.of("ip", "netns", "exec", NODE1));
    }

    @AfterAll
    static void tearDownLab() throws Exception {
        if (timer != null) {
            timer.shutdownNow();
        }
        for (String ns : createdNamespaces) {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
    }

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }

    private static ProbeResult probe(ProbeTarget target) {
        return prober.probe(target, DEADLINE).join();
    }

    @Test
    void pingAndArpingReachALivePeerWithARoundTripTime() {
        ProbeResult icmp = probe(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12"));
        ProbeResult arp = probe(ProbeTarget.arp(TargetRole.PEER, "198.51.100.12", "eth0"));

        assertThat(icmp.ok()).as(icmp.detail()).isTrue();
        assertThat(icmp.rtt()).isPositive();
        assertThat(arp.ok()).as(arp.detail()).isTrue();
        assertThat(arp.rtt()).isPositive();
    }

    @Test
    void silentAddressFailsWithinTheDeadline() {
        long started = System.nanoTime();
        ProbeResult icmp = probe(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.99"));
        ProbeResult arp = probe(ProbeTarget.arp(TargetRole.ISOLATION_HOST, "198.51.100.99", "eth0"));

        assertThat(icmp.ok()).isFalse();
        assertThat(arp.ok()).isFalse();
        assertThat(arp.detail()).as("arping -w 1 is killed at the 400ms deadline").isEqualTo("timeout after 400ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void unreachableNetworkIsAFailureWithPingsMessage() {
        ProbeResult result = probe(ProbeTarget.icmp(TargetRole.HEARTBEAT, "203.0.113.12"));

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("exit 2: Network is unreachable");
    }
}
