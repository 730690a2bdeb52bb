package io.carpoperator.dataplane;

import static io.carpoperator.dataplane.VipSettingsFixtures.retuned;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import io.carpoperator.watchdog.IsolationWatchdog;
import io.carpoperator.watchdog.ProbeKind;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
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

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<IsolationWatchdog.Step> steps = new ArrayList<>();
    private final DataPlaneEnvironment env = new DataPlaneEnvironment(Path.of("/nonexistent"), List.of(),
            argv -> new io.carpoperator.carp.CommandRunner.Result(0, "", ""),
            (label, argv, listener) -> {
                throw new AssertionError("no ucarp here");
            },
            (target, deadline) -> CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(1))),
            scheduler, scheduler.clock(), new AgentMetrics());
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
}
