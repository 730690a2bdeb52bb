package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.testing.LabTest;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real carp-wire.pl in one namespace of a two-namespace lab (a veth pair, 198.51.100.211 and .212), ucarp 1.5.2 in
 * the other. Needs root; skips saying so without it (see {@link LabTest}).
 */
@LabTest
class WireHelperIT {

    private static final String RUN = "wirex-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private static final String NODE = RUN + "-a";
    private static final String PEER = RUN + "-b";
    private static final String LINK = "wire0";
    private static final String NODE_ADDRESS = "198.51.100.211";
    private static final String PEER_ADDRESS = "198.51.100.212";
    private static final String UNUSED_ADDRESS = "198.51.100.219";
    private static final String VIRTUAL_ADDRESS = "198.51.100.250";
    private static final Duration DEADLINE = Duration.ofMillis(400);

    private static final List<String> createdNamespaces = new ArrayList<>();
    private static final List<WireEvent.ArpReply> arpReplies = new CopyOnWriteArrayList<>();
    private static Path runDirectory;
    private static ScheduledExecutorService timer;
    private static WireHelper helper;
    private static WireProber prober;
    private static DuplicateOwnerProbe duplicates;
    private static CarpAdvertListener adverts;
    private static String peerMac;

    @BeforeAll
    static void buildLab() throws Exception {
        for (String ns : List.of(NODE, PEER)) {
            sh("ip", "netns", "add", ns);
            createdNamespaces.add(ns);
        }
        sh("ip", "link", "add", LINK, "netns", NODE, "type", "veth", "peer", "name", LINK, "netns", PEER);
        sh("ip", "-n", NODE, "addr", "add", NODE_ADDRESS + "/24", "dev", LINK);
        sh("ip", "-n", PEER, "addr", "add", PEER_ADDRESS + "/24", "dev", LINK);
        sh("ip", "-n", NODE, "link", "set", LINK, "up");
        sh("ip", "-n", PEER, "link", "set", LINK, "up");
        peerMac = sh("ip", "netns", "exec", PEER, "cat", "/sys/class/net/" + LINK + "/address").strip();

        runDirectory = Files.createTempDirectory("wire-it-");
        timer = Executors.newSingleThreadScheduledExecutor();
        helper = new WireHelper("lab namespace " + NODE, WireProcess.launcher(runDirectory, List.of("ip", "netns", "exec", NODE)), timer);
        CountDownLatch ready = new CountDownLatch(1);
        // Before the prober: listeners hear an event in the order they were added, and the prober completes the probe.
        helper.addListener((event, arrived) -> {
            if (event instanceof WireEvent.Ready) {
                ready.countDown();
            } else if (event instanceof WireEvent.ArpReply reply) {
                arpReplies.add(reply);
            }
        });
        prober = WireProber.on(helper, timer);
        duplicates = DuplicateOwnerProbe.on(helper, timer);
        adverts = CarpAdvertListener.on(helper);
        helper.start();
        assertThat(ready.await(5, TimeUnit.SECONDS)).as("the helper says ready within 5s").isTrue();
    }

    @AfterAll
    static void tearDownLab() throws Exception {
        if (helper != null) {
            helper.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        for (String ns : createdNamespaces) {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
        if (runDirectory != null) {
            try (Stream<Path> files = Files.walk(runDirectory)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }

    private static ProbeResult probe(ProbeTarget target) throws Exception {
        return prober.probe(target, DEADLINE).get(5, TimeUnit.SECONDS);
    }

    @Test
    void anEchoToThePeerIsAnsweredWithARoundTripTime() throws Exception {
        ProbeResult result = probe(ProbeTarget.icmp(TargetRole.PEER, PEER_ADDRESS));

        assertThat(result.ok()).as(result.detail()).isTrue();
        assertThat(result.rtt()).isPositive().isLessThan(DEADLINE);
    }

    @Test
    void anEchoToAnUnusedAddressTimesOutAtTheDeadline() throws Exception {
        long started = System.nanoTime();
        ProbeResult result = probe(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, UNUSED_ADDRESS));

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("timeout after 400ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1000));
    }

    @Test
    void anArpRequestIsAnsweredFromThePeersMac() throws Exception {
        ProbeResult result = probe(ProbeTarget.arp(TargetRole.PEER, PEER_ADDRESS, LINK));

        assertThat(result.ok()).as(result.detail()).isTrue();
        assertThat(arpReplies).filteredOn(reply -> reply.address().equals(PEER_ADDRESS))
                .extracting(WireEvent.ArpReply::mac).isNotEmpty().containsOnly(peerMac);
    }

    @Test
    void anArpProbeFindsThePeerOnlyWhileItHoldsTheAddress() throws Exception {
        assertThat(duplicates.otherOwners(LINK, VIRTUAL_ADDRESS, DEADLINE).get(5, TimeUnit.SECONDS)).isEmpty();

        sh("ip", "-n", PEER, "addr", "add", VIRTUAL_ADDRESS + "/32", "dev", LINK);
        try {
            assertThat(duplicates.otherOwners(LINK, VIRTUAL_ADDRESS, DEADLINE).get(5, TimeUnit.SECONDS)).containsExactly(peerMac);
        } finally {
            sh("ip", "-n", PEER, "addr", "del", VIRTUAL_ADDRESS + "/32", "dev", LINK);
        }
    }

    @Test
    void aGratuitousArpMovesTheAddressToThisNodesMacInThePeersNeighbourTable() throws Exception {
        String nodeMac = sh("ip", "netns", "exec", NODE, "cat", "/sys/class/net/" + LINK + "/address").strip();
        sh("ip", "-n", PEER, "neigh", "replace", VIRTUAL_ADDRESS, "lladdr", "02:00:00:00:00:01", "dev", LINK, "nud", "stale");
        try {
            helper.send(WireCommand.garp(LINK, VIRTUAL_ADDRESS));

            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() ->
                    sh("ip", "-n", PEER, "neigh", "show", VIRTUAL_ADDRESS, "dev", LINK).contains(nodeMac));
        } finally {
            sh("ip", "-n", PEER, "neigh", "flush", VIRTUAL_ADDRESS, "dev", LINK);
        }
    }

    @Test
    void thisNodesOwnAdvertsAreNotReportedWhileThePeersAre() throws Exception {
        BlockingQueue<CarpAdvert> received = new LinkedBlockingQueue<>();
        List<Process> ucarps = new ArrayList<>();
        try (CarpAdvertListener.Subscription subscription = adverts.subscribe(LINK, received::add)) {
            for (String[] side : new String[][] {{NODE, NODE_ADDRESS, "8", "198.51.100.251"}, {PEER, PEER_ADDRESS, "9", "198.51.100.252"}}) {
                ucarps.add(new ProcessBuilder("ip", "netns", "exec", side[0], "ucarp", "-i", LINK, "-s", side[1], "-v", side[2],
                        "-p", "secret", "-a", side[3], "-b", "1").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            // both claim their own vhid after three silent intervals, then advertise once a second
            List<CarpAdvert> heard = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < until) {
                CarpAdvert advert = received.poll(100, TimeUnit.MILLISECONDS);
                if (advert != null) {
                    heard.add(advert);
                }
            }

            assertThat(heard).extracting(CarpAdvert::vhid).contains(9).doesNotContain(8);
            assertThat(heard).extracting(CarpAdvert::source).containsOnly(PEER_ADDRESS);
        } finally {
            for (Process ucarp : ucarps) {
                ucarp.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void advertsOfUcarpInTheOtherNamespaceArriveAndAuthenticate() throws Exception {
        BlockingQueue<CarpAdvert> received = new LinkedBlockingQueue<>();
        Process ucarp = null;
        try (CarpAdvertListener.Subscription subscription = adverts.subscribe(LINK, received::add)) {
            ucarp = new ProcessBuilder("ip", "netns", "exec", PEER, "ucarp", "-i", LINK, "-s", PEER_ADDRESS, "-v", "7",
                    "-p", "secret", "-a", VIRTUAL_ADDRESS, "-b", "1")
                    .redirectErrorStream(true).redirectOutput(runDirectory.resolve("ucarp.log").toFile()).start();
            // A backup becomes master after three silent advert intervals, then adverts once a second.
            CarpAdvert advert = received.poll(8, TimeUnit.SECONDS);

            assertThat(advert).as("an advert within 8s; ucarp said: %s", Files.readString(runDirectory.resolve("ucarp.log"))).isNotNull();
            assertThat(advert.vhid()).isEqualTo(7);
            assertThat(advert.source()).isEqualTo(PEER_ADDRESS);
            assertThat(advert.interfaceName()).isEqualTo(LINK);
            assertThat(advert.advbase()).isEqualTo(1);
            assertThat(advert.checksumValid()).isTrue();
            assertThat(CarpDigest.authenticates(advert, "secret", VIRTUAL_ADDRESS)).isTrue();
            assertThat(CarpDigest.authenticates(advert, "other", VIRTUAL_ADDRESS)).isFalse();
        } finally {
            if (ucarp != null) {
                // ucarp 1.5.2 lingers on SIGTERM; nothing of it is needed after the test.
                ucarp.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aKilledHelperIsRestartedAndProbesWorkAgain() throws Exception {
        long pid = helper.pid().orElseThrow();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((helper.pid().isEmpty() || helper.pid().getAsLong() == pid) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(helper.restarts()).isGreaterThanOrEqualTo(1);
        ProbeResult result = probe(ProbeTarget.icmp(TargetRole.PEER, PEER_ADDRESS));
        assertThat(result.ok()).as(result.detail()).isTrue();
    }
}
