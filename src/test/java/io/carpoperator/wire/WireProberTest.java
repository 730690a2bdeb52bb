package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WireProberTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final ProbeTarget GATEWAY = ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1");
    private static final ProbeTarget PEER_ARP = ProbeTarget.arp(TargetRole.PEER, "198.51.100.12", "eth0");

    private final FakeWire wire = new FakeWire();
    private final WireHelper helper = wire.helper();
    private final WireProber prober = WireProber.on(helper, wire.scheduler);

    {
        helper.start();
    }

    private void after(long millis) {
        wire.scheduler.advance(Duration.ofMillis(millis));
    }

    private void reply(String line) {
        wire.current().line(line);
    }

    @Test
    void anEchoReplyAnswersWithTheTimeFromCommandToReply() {
        CompletableFuture<ProbeResult> probe = prober.probe(GATEWAY, DEADLINE);
        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1");

        after(7);
        reply("icmp 1 198.51.100.1");

        assertThat(probe).isCompletedWithValue(ProbeResult.answered(GATEWAY, Duration.ofMillis(7)));
        assertThat(wire.scheduler.pendingDelays()).as("the deadline timer is cancelled").isEmpty();
    }

    @Test
    void anArpTargetIsAskedOnItsInterfaceAndAnsweredByAnArpReply() {
        CompletableFuture<ProbeResult> probe = prober.probe(PEER_ARP, DEADLINE);
        assertThat(wire.sent()).containsExactly("arp 1 eth0 198.51.100.12");

        after(2);
        reply("icmp 1 198.51.100.12");
        assertThat(probe).as("an echo reply does not answer an ARP request").isNotDone();
        reply("arp 1 198.51.100.12 02:00:00:00:00:12");

        assertThat(probe).isCompletedWithValue(ProbeResult.answered(PEER_ARP, Duration.ofMillis(2)));
    }

    @Test
    void noReplyWithinTheDeadlineTimesOutThenAndCancelsTheRequest() {
        CompletableFuture<ProbeResult> probe = prober.probe(GATEWAY, DEADLINE);
        after(399);
        assertThat(probe).isNotDone();

        after(1);

        assertThat(probe).isCompletedWithValue(ProbeResult.timedOut(GATEWAY, DEADLINE));
        assertThat(probe.join().detail()).isEqualTo("timeout after 400ms");
        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1", "cancel 1");
        reply("icmp 1 198.51.100.1");
        assertThat(probe.join().ok()).as("a late reply changes nothing").isFalse();
    }

    @Test
    void ahundredVipsProbingTheSameGatewayWithinOneDeadlineSendOnePacket() {
        List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
        for (int vip = 0; vip < 100; vip++) {
            probes.add(prober.probe(ProbeTarget.icmp(vip % 2 == 0 ? TargetRole.ISOLATION_HOST : TargetRole.PEER, "198.51.100.1"), DEADLINE));
            after(3);
        }
        reply("icmp 1 198.51.100.1");

        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1");
        assertThat(probes).allSatisfy(p -> assertThat(p.join().ok()).isTrue());
        assertThat(probes.get(99).join().rtt()).as("the packet's round trip").isEqualTo(Duration.ofMillis(300));
        assertThat(probes.get(1).join().target().role()).as("each keeps its own target").isEqualTo(TargetRole.PEER);
        assertThat(prober.packetsInFlight()).isZero();
    }

    @Test
    void aProbeAskedAfterThePacketsDeadlineSendsAPacketOfItsOwn() {
        prober.probe(GATEWAY, DEADLINE);
        after(400);
        CompletableFuture<ProbeResult> later = prober.probe(GATEWAY, DEADLINE);

        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1", "cancel 1", "icmp 2 198.51.100.1");
        reply("icmp 1 198.51.100.1");
        assertThat(later).as("a reply to the old packet").isNotDone();
        reply("icmp 2 198.51.100.1");
        assertThat(later.join().ok()).isTrue();
    }

    @Test
    void aProbeAskedWithinTheDeadlineAfterTheReplyIsAnsweredAtOnceByThatReply() {
        prober.probe(GATEWAY, DEADLINE);
        after(5);
        reply("icmp 1 198.51.100.1");
        after(300);
        CompletableFuture<ProbeResult> late = prober.probe(GATEWAY, DEADLINE);

        assertThat(late).isCompletedWithValue(ProbeResult.answered(GATEWAY, Duration.ofMillis(5)));
        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1");
    }

    @Test
    void aProbeAskedADeadlineAfterTheAnsweredPacketWasSentSendsAPacketOfItsOwn() {
        prober.probe(GATEWAY, DEADLINE);
        after(5);
        reply("icmp 1 198.51.100.1");
        after(395);
        CompletableFuture<ProbeResult> next = prober.probe(GATEWAY, DEADLINE);

        assertThat(next).isNotDone();
        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1", "icmp 2 198.51.100.1");
    }

    @Test
    void aProbeAskedAfterAPacketTimedOutSendsAPacketOfItsOwnRatherThanReusingTheFailure() {
        prober.probe(GATEWAY, Duration.ofMillis(100));
        after(100);
        prober.probe(GATEWAY, DEADLINE);

        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1", "cancel 1", "icmp 2 198.51.100.1");
    }

    @Test
    void aJoiningProbeKeepsItsOwnDeadlineBothWays() {
        CompletableFuture<ProbeResult> first = prober.probe(GATEWAY, DEADLINE);
        after(30);
        CompletableFuture<ProbeResult> shorter = prober.probe(GATEWAY, Duration.ofMillis(100));
        CompletableFuture<ProbeResult> later = prober.probe(GATEWAY, DEADLINE);

        after(100);
        assertThat(shorter).isCompletedWithValue(ProbeResult.timedOut(GATEWAY, Duration.ofMillis(100)));
        assertThat(first).isNotDone();
        after(270);
        assertThat(first).isCompletedWithValue(ProbeResult.timedOut(GATEWAY, DEADLINE));
        assertThat(later).as("its own deadline is 30ms later").isNotDone();
        assertThat(wire.sent()).as("cancelled only when nobody waits").containsExactly("icmp 1 198.51.100.1");

        after(20);
        reply("icmp 1 198.51.100.1");

        assertThat(later).isCompletedWithValue(ProbeResult.answered(GATEWAY, Duration.ofMillis(420)));
    }

    @Test
    void whenEveryJoinedProbeHasTimedOutTheRequestIsCancelledOnce() {
        CompletableFuture<ProbeResult> first = prober.probe(GATEWAY, DEADLINE);
        after(30);
        CompletableFuture<ProbeResult> second = prober.probe(GATEWAY, DEADLINE);
        after(430);

        assertThat(first.join().ok()).isFalse();
        assertThat(second).isCompletedWithValue(ProbeResult.timedOut(GATEWAY, DEADLINE));
        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1", "cancel 1");
        assertThat(prober.packetsInFlight()).isZero();
    }

    @Test
    void probesOfDifferentKindsInterfacesOrAddressesDoNotShare() {
        prober.probe(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12"), DEADLINE);
        prober.probe(PEER_ARP, DEADLINE);
        prober.probe(ProbeTarget.arp(TargetRole.PEER, "198.51.100.12", "eth1"), DEADLINE);
        prober.probe(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.13"), DEADLINE);
        prober.probe(ProbeTarget.icmp(TargetRole.HEARTBEAT, "198.51.100.12"), DEADLINE);

        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.12", "arp 2 eth0 198.51.100.12", "arp 3 eth1 198.51.100.12",
                "icmp 4 198.51.100.13");
    }

    @Test
    void aHelperErrorFailsEveryProbeOnThatPacketWithItsMessage() {
        ProbeTarget unreachable = ProbeTarget.icmp(TargetRole.HEARTBEAT, "203.0.113.12");
        CompletableFuture<ProbeResult> first = prober.probe(unreachable, DEADLINE);
        CompletableFuture<ProbeResult> second = prober.probe(unreachable, DEADLINE);
        reply("error 1 Network is unreachable");

        assertThat(first).isCompletedWithValue(ProbeResult.failed(unreachable, "Network is unreachable"));
        assertThat(second).isCompletedWithValue(ProbeResult.failed(unreachable, "Network is unreachable"));
        assertThat(wire.scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aHelperThatStopsFailsTheProbesInFlightAtOnceSayingWhy() {
        CompletableFuture<ProbeResult> probe = prober.probe(GATEWAY, DEADLINE);
        wire.current().stderr("Out of memory!");
        wire.current().exit(1);

        assertThat(probe).isCompletedWithValue(ProbeResult.failed(GATEWAY,
                "the wire helper for node test-1 exited with code 1 (Out of memory!)"));
    }

    @Test
    void aProbeWhileTheHelperRestartsFailsAtOnceSayingWhy() {
        wire.current().exit(1);
        CompletableFuture<ProbeResult> probe = prober.probe(PEER_ARP, DEADLINE);

        assertThat(probe).isCompletedWithValue(ProbeResult.failed(PEER_ARP,
                "the wire helper for node test-1 exited with code 1 and is waiting to restart"));
        assertThat(prober.packetsInFlight()).isZero();
        assertThat(wire.scheduler.pendingDelays()).as("only the restart").containsExactly(WireHelper.INITIAL_BACKOFF);
    }

    @Test
    void aTargetTheHelperCannotTakeFailsWithoutAPacket() {
        ProbeTarget named = ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "gateway.example");
        ProbeTarget badInterface = ProbeTarget.arp(TargetRole.PEER, "198.51.100.12", "eth0 quit");

        assertThat(prober.probe(named, DEADLINE)).isCompletedWithValue(ProbeResult.failed(named,
                "address 'gateway.example' is not an IPv4 address (it is not four numbers separated by dots); the wire helper takes dotted quads only"));
        assertThat(prober.probe(badInterface, DEADLINE).join().detail()).startsWith("interface 'eth0 quit' is not a Linux interface name");
        assertThat(wire.sent()).isEmpty();
    }

    @Test
    void repliesToRequestsNobodyWaitsForAreIgnored() {
        CompletableFuture<ProbeResult> probe = prober.probe(GATEWAY, DEADLINE);
        reply("icmp 99 198.51.100.1");
        reply("arp 99 198.51.100.1 02:00:00:00:00:01");
        reply("error 99 something else");
        reply("error - listen eth0: no interface eth0 in this network namespace");

        assertThat(probe).isNotDone();
    }
}
