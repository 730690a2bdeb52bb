package io.carpoperator.dataplane;

import static io.carpoperator.dataplane.VipSettingsFixtures.retuned;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import io.carpoperator.watchdog.IsolationWatchdog;
import io.carpoperator.watchdog.ProbeKind;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class VipWatchdogTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final VipSettings ON = new VipSettings("web", "198.51.100.10", 24, "eth0", null, 99, false, 1, 0,
            "secret", true, List.of("198.51.100.12"), List.of("203.0.113.12"), List.of(), Set.of(ProbeKind.ICMP, ProbeKind.ARP),
            INTERVAL, 2, 2, Duration.ZERO);

    private static final VipSettings ON_ISOLATION_HOST = new VipSettings("web", "198.51.100.10", 24, "eth0", null, 99,
            false, 1, 0, "secret", true, List.of("198.51.100.12"), List.of("203.0.113.12"), List.of("192.0.2.1"),
            Set.of(ProbeKind.ICMP, ProbeKind.ARP), INTERVAL, 2, 2, Duration.ZERO);

    private volatile String routes = "default via 198.51.100.1 dev eth0 proto dhcp";
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<IsolationWatchdog.Step> steps = new ArrayList<>();
    private final DataPlaneEnvironment env = new DataPlaneEnvironment(Path.of("/nonexistent"), List.of(),
            argv -> new io.carpoperator.carp.CommandRunner.Result(0, argv.contains("route") ? routes : "", ""),
            (label, argv, listener) -> {
                throw new AssertionError("no ucarp here");
            },
            (target, deadline) -> CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(1))),
            io.carpoperator.wire.LinkWatch.NONE, scheduler, scheduler.clock(), new AgentMetrics());
    private final VipWatchdog watchdog = new VipWatchdog("vip web", ON, env, (round, step) -> steps.add(step));

    @Test
    void settingsGivenBeforeStartAreKeptAndProbingWaitsForTheInterface() {
        watchdog.retune(retuned(ON, true, Duration.ofSeconds(3), 2, Duration.ZERO), null);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(steps).isEmpty();

        watchdog.start("eth0", List.of("198.51.100.1"));
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(steps).as("at 0, 3 and 6 s: the interval given before the start").hasSize(3);
    }

    @Test
    void isolationOffClosesTheLoopAndOnStartsItAgain() {
        watchdog.start("eth0", List.of("198.51.100.1"));
        scheduler.runDueTasks();
        assertThat(watchdog.retune(retuned(ON, false, INTERVAL, 2, Duration.ZERO), null)).isFalse();
        int before = steps.size();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(steps).hasSize(before);

        assertThat(watchdog.retune(ON, null)).isTrue();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(steps).hasSizeGreaterThan(before);
    }

    @Test
    void probesPeersAndIsolationHostsByTheConfiguredKindsAndHeartbeatsByIcmp() {
        watchdog.start("eth0", List.of("198.51.100.1"));
        assertThat(watchdog.probeTargets()).extracting(ProbeTarget::role, ProbeTarget::address).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(TargetRole.PEER, "198.51.100.12"),
                org.assertj.core.groups.Tuple.tuple(TargetRole.PEER, "198.51.100.12"),
                org.assertj.core.groups.Tuple.tuple(TargetRole.ISOLATION_HOST, "198.51.100.1"),
                org.assertj.core.groups.Tuple.tuple(TargetRole.ISOLATION_HOST, "198.51.100.1"),
                org.assertj.core.groups.Tuple.tuple(TargetRole.HEARTBEAT, "203.0.113.12"));
        scheduler.runDueTasks();
        watchdog.close();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(steps).hasSize(1);
    }

    @Test
    void withoutIsolationHostsTheDefaultGatewayIsProbedOrOnlyThePeersWhenThereIsNone() throws IOException {
        assertThat(watchdog.isolationHostsFor(ON, "eth0")).containsExactly("198.51.100.1");
        assertThat(watchdog.isolationHostsFor(ON_ISOLATION_HOST, "eth0")).as("given").containsExactly("192.0.2.1");
        routes = "";
        assertThat(watchdog.isolationHostsFor(ON, "eth0")).isEmpty();
    }

    @Test
    void looksIsolationHostsUpAgainOnlyWhenTheyChangedAndTheInterfaceIsKnown() {
        watchdog.start("eth0", List.of("198.51.100.1"));

        watchdog.retune(ON, ON_ISOLATION_HOST, "eth0");
        assertThat(isolationHosts()).containsOnly("192.0.2.1");

        watchdog.retune(ON_ISOLATION_HOST, ON, null);
        assertThat(isolationHosts()).as("interface not known yet: kept").containsOnly("192.0.2.1");

        routes = "default via 198.51.100.254 dev eth0";
        watchdog.retune(ON, ON, "eth0");
        assertThat(isolationHosts()).as("unchanged settings: not looked up").containsOnly("192.0.2.1");

        watchdog.retune(ON_ISOLATION_HOST, ON, "eth0");
        assertThat(isolationHosts()).containsOnly("198.51.100.254");
    }

    private List<String> isolationHosts() {
        return watchdog.probeTargets().stream().filter(t -> t.role() == TargetRole.ISOLATION_HOST)
                .map(ProbeTarget::address).toList();
    }
}
