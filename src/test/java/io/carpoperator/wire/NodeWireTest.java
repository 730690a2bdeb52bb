package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NodeWireTest {

    private static final ProbeTarget GATEWAY = ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1");

    private final FakeWire wire = new FakeWire();
    private final WireHelper helper = wire.helper();
    private final List<ProbeTarget> forked = new CopyOnWriteArrayList<>();
    private final NodeWire node = NodeWire.on(helper, wire.scheduler, (target, deadline) -> {
        forked.add(target);
        return CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(3)));
    });

    @Test
    void anAdvertReachesOnlyTheVipsOfItsVhidAndTheInterfaceIsListenedToOnce() {
        helper.start();
        List<CarpAdvert> seven = new CopyOnWriteArrayList<>();
        List<CarpAdvert> eight = new CopyOnWriteArrayList<>();
        var first = node.adverts("eth0", 7, seven::add);
        var second = node.adverts("eth0", 8, eight::add);

        wire.current().line("carp eth0 198.51.100.212 255 " + CarpAdvertTest.VHID_7);

        assertThat(seven).singleElement().extracting(CarpAdvert::vhid).isEqualTo(7);
        assertThat(eight).isEmpty();
        assertThat(wire.sent()).containsExactly("listen eth0");

        first.close();
        assertThat(wire.sent()).containsExactly("listen eth0");
        second.close();
        assertThat(wire.sent()).containsExactly("listen eth0", "unlisten eth0");
    }

    @Test
    void probesGoThroughTheHelperWhileItRunsAndThroughAProcessEachWhileItDoesNot() {
        CompletableFuture<ProbeResult> beforeStart = node.prober().probe(GATEWAY, Duration.ofMillis(400));
        assertThat(beforeStart).isCompletedWithValue(ProbeResult.answered(GATEWAY, Duration.ofMillis(3)));
        assertThat(forked).containsExactly(GATEWAY);
        assertThat(node.listening()).isFalse();
        assertThat(node.announce("eth0", "198.51.100.10")).as("no helper: the caller runs arping").isFalse();

        helper.start();
        node.prober().probe(GATEWAY, Duration.ofMillis(400));
        assertThat(node.announce("eth0", "198.51.100.10")).isTrue();

        assertThat(forked).hasSize(1);
        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1", "garp eth0 198.51.100.10");
        assertThat(node.listening()).isTrue();
    }
}
