package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.carpoperator.testing.ManualScheduler;

class WatchdogLoopTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final ProbeTarget PEER = ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12");
    private static final ProbeTarget GATEWAY = ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1");
    private static final ProbeTarget HEARTBEAT = ProbeTarget.icmp(TargetRole.HEARTBEAT, "203.0.113.12");
    private static final ProbeTarget SLOW_HOST = ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1");

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Set<String> unreachable = new HashSet<>();
    private final List<IsolationWatchdog.Step> steps = new ArrayList<>();
    private final AtomicReference<List<ProbeTarget>> targets = new AtomicReference<>(List.of(PEER, GATEWAY, HEARTBEAT));
    private final Prober prober = (target, deadline) -> CompletableFuture.completedFuture(
            unreachable.contains(target.address())
                    ? ProbeResult.failed(target, "exit 1: no reply")
                    : ProbeResult.answered(target, Duration.ofMillis(1)));

    private final WatchdogLoop loop = new WatchdogLoop("vip 198.51.100.10 vhid 99",
            new WatchdogSettings(2, 2, INTERVAL, Duration.ofMillis(400)), prober, targets::get,
            scheduler, scheduler.clock(), (round, step) -> steps.add(step));

    @AfterEach
    void stop() {
        loop.close();
    }

    private List<IsolationWatchdog.Action> actions() {
        return steps.stream().map(IsolationWatchdog.Step::action).toList();
    }

    @Test
    void probesOncePerIntervalStartingAtOnce() {
        loop.start();
        scheduler.runDueTasks();
        assertThat(steps).hasSize(1);

        scheduler.advance(INTERVAL.multipliedBy(3));

        assertThat(steps).hasSize(4);
        assertThat(loop.state()).isEqualTo(WatchdogState.HEALTHY);
    }

    @Test
    void withdrawsAfterTwoIsolatedRoundsAndRejoinsAfterTwoReachableOnes() {
        loop.start();
        scheduler.runDueTasks();
        unreachable.addAll(List.of(PEER.address(), GATEWAY.address()));
        scheduler.advance(INTERVAL.multipliedBy(2));
        assertThat(loop.state()).isEqualTo(WatchdogState.ISOLATED);

        unreachable.remove(GATEWAY.address());
        scheduler.advance(INTERVAL.multipliedBy(2));

        assertThat(actions()).containsExactly(IsolationWatchdog.Action.NONE, IsolationWatchdog.Action.NONE,
                IsolationWatchdog.Action.WITHDRAW, IsolationWatchdog.Action.NONE, IsolationWatchdog.Action.REJOIN);
        assertThat(loop.state()).isEqualTo(WatchdogState.HEALTHY);
    }

    @Test
    void picksUpTargetsChangedAtRunTime() {
        targets.set(List.of(PEER));
        loop.start();
        scheduler.runDueTasks();
        targets.set(List.of(PEER, GATEWAY));
        scheduler.advance(INTERVAL);

        assertThat(steps.get(0).reason()).isEqualTo("healthy: peer 198.51.100.12 ok");
        assertThat(steps.get(1).reason()).isEqualTo("healthy: peer 198.51.100.12 ok, isolation host 198.51.100.1 ok");
    }

    @Test
    void skipsATickWhileTheLastRoundIsStillRunning() {
        List<CompletableFuture<ProbeResult>> inFlight = new ArrayList<>();
        WatchdogLoop slow = new WatchdogLoop("vip 198.51.100.10 vhid 99",
                new WatchdogSettings(2, 2, INTERVAL, Duration.ofMillis(950)),
                (target, deadline) -> {
                    CompletableFuture<ProbeResult> f = new CompletableFuture<>();
                    inFlight.add(f);
                    return f;
                }, () -> List.of(PEER, SLOW_HOST), scheduler, scheduler.clock(), (round, step) -> steps.add(step));
        try {
            slow.start();
            scheduler.runDueTasks();
            scheduler.advance(INTERVAL);
            assertThat(inFlight).as("the tick at 1s found the first round still running").hasSize(2);

            scheduler.advance(Duration.ofMillis(100));
            assertThat(steps).hasSize(1);
            assertThat(steps.get(0).reason()).isEqualTo("isolated 1/2: peer 198.51.100.12 unreachable, isolation host 198.51.100.1 unreachable");

            scheduler.advance(Duration.ofMillis(900));
            assertThat(inFlight).hasSize(4);
        } finally {
            slow.close();
        }
    }

    @Test
    void stopsProbingWhenClosed() {
        loop.start();
        scheduler.runDueTasks();
        loop.close();
        scheduler.advance(INTERVAL.multipliedBy(5));

        assertThat(steps).hasSize(1);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void retuningKeepsTheSuspicionAndJudgesItAgainstTheNewHoldLimit() {
        loop.start();
        scheduler.runDueTasks();
        unreachable.addAll(List.of("198.51.100.12", "198.51.100.1"));
        scheduler.advance(INTERVAL);
        assertThat(loop.state()).isEqualTo(new WatchdogState.Suspect(1));

        loop.retune(new WatchdogSettings(3, 2, INTERVAL, Duration.ofMillis(400)));
        scheduler.advance(INTERVAL);
        assertThat(loop.state()).as("2/3: the suspicion carried over").isEqualTo(new WatchdogState.Suspect(2));
        scheduler.advance(INTERVAL);
        assertThat(loop.state()).isEqualTo(WatchdogState.ISOLATED);
        assertThat(actions()).containsOnlyOnce(IsolationWatchdog.Action.WITHDRAW);
    }

    @Test
    void aNewProbeIntervalTakesEffectAtItsNextBoundary() {
        loop.start();
        scheduler.runDueTasks();
        scheduler.advance(Duration.ofMillis(500));
        loop.retune(new WatchdogSettings(2, 2, Duration.ofSeconds(3), Duration.ofMillis(400)));

        scheduler.advance(Duration.ofMillis(2400));
        assertThat(steps).as("no round at the old 1 s ticks").hasSize(1);
        scheduler.advance(Duration.ofMillis(100));
        assertThat(steps).as("a round at the wall clock's next multiple of 3 s").hasSize(2);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(steps).hasSize(3);
        assertThat(loop.settings().probeInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void loopsStartedAtDifferentMomentsProbeTogetherFromTheirSecondRoundOn() {
        List<Instant> rounds = new java.util.concurrent.CopyOnWriteArrayList<>();
        Prober timing = (target, deadline) -> {
            rounds.add(scheduler.clock().instant());
            return CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(1)));
        };
        scheduler.advance(Duration.ofMillis(130));
        WatchdogLoop first = new WatchdogLoop("vip a", new WatchdogSettings(2, 2, INTERVAL, Duration.ofMillis(400)),
                timing, () -> List.of(GATEWAY), scheduler, scheduler.clock(), (round, step) -> { });
        first.start();
        scheduler.advance(Duration.ofMillis(610));
        WatchdogLoop second = new WatchdogLoop("vip b", new WatchdogSettings(2, 2, INTERVAL, Duration.ofMillis(400)),
                timing, () -> List.of(GATEWAY), scheduler, scheduler.clock(), (round, step) -> { });
        second.start();
        scheduler.runDueTasks();
        rounds.clear();

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(rounds).as("1, 2 and 3 s for the first, 2 and 3 s for the second (1.26 s is too close to its start)")
                .hasSize(5).allSatisfy(at -> assertThat(at.toEpochMilli() % 1000).isZero());
        first.close();
        second.close();
    }

    @Test
    void loopsSharingRoundsJudgeThemEachWithTheirOwnLimits() {
        List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        Prober counting = (target, deadline) -> {
            sent.add(target.address());
            return prober.probe(target, deadline);
        };
        SharedProbeRounds shared = new SharedProbeRounds(counting, scheduler, scheduler.clock());
        WatchdogLoop quick = new WatchdogLoop("vip a", new WatchdogSettings(1, 2, INTERVAL, Duration.ofMillis(400)),
                shared, () -> List.of(PEER, GATEWAY), (round, step) -> { });
        WatchdogLoop patient = new WatchdogLoop("vip b", new WatchdogSettings(3, 2, INTERVAL, Duration.ofMillis(400)),
                shared, () -> List.of(PEER, GATEWAY), (round, step) -> { });
        try {
            quick.start();
            patient.start();
            scheduler.runDueTasks();
            sent.clear();
            unreachable.addAll(List.of(PEER.address(), GATEWAY.address()));

            scheduler.advance(INTERVAL);

            assertThat(sent).as("one round for both").containsExactly(PEER.address(), GATEWAY.address());
            assertThat(quick.state()).as("hold limit 1").isEqualTo(WatchdogState.ISOLATED);
            assertThat(patient.state()).as("hold limit 3").isEqualTo(new WatchdogState.Suspect(1));
        } finally {
            quick.close();
            patient.close();
        }
    }
}
