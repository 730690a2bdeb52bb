package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.carpoperator.testing.ManualScheduler;

class ProbeRoundRunnerTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final ProbeTarget PEER = ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12");
    private static final ProbeTarget GATEWAY = ProbeTarget.arp(TargetRole.ISOLATION_HOST, "198.51.100.1", "eth0");
    private static final ProbeTarget HEARTBEAT = ProbeTarget.icmp(TargetRole.HEARTBEAT, "203.0.113.12");

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Map<ProbeTarget, CompletableFuture<ProbeResult>> pending = new HashMap<>();
    private final Prober prober = (target, deadline) -> pending.computeIfAbsent(target, t -> new CompletableFuture<>());
    private final ProbeRoundRunner runner = new ProbeRoundRunner(prober, scheduler, scheduler.clock());

    @Test
    void firesAllProbesAtOnceAndCompletesAsSoonAsAllHaveAnswered() {
        CompletableFuture<ProbeRound> round = runner.run(List.of(PEER, GATEWAY, HEARTBEAT), DEADLINE);

        assertThat(pending).containsOnlyKeys(PEER, GATEWAY, HEARTBEAT);
        pending.get(PEER).complete(ProbeResult.answered(PEER, Duration.ofMillis(1)));
        pending.get(GATEWAY).complete(ProbeResult.failed(GATEWAY, "exit 1: no reply"));
        assertThat(round).isNotDone();
        pending.get(HEARTBEAT).complete(ProbeResult.answered(HEARTBEAT, Duration.ofMillis(2)));

        assertThat(round).isCompleted();
        assertThat(round.join().results()).extracting(ProbeResult::target).containsExactly(PEER, GATEWAY, HEARTBEAT);
        assertThat(round.join().at()).isEqualTo(scheduler.now());
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void probesStillMissingAtTheDeadlineCountAsTimedOut() {
        CompletableFuture<ProbeRound> round = runner.run(List.of(PEER, GATEWAY), DEADLINE);
        pending.get(PEER).complete(ProbeResult.answered(PEER, Duration.ofMillis(1)));

        scheduler.advance(DEADLINE);
        assertThat(round).isNotDone();
        scheduler.advance(ProbeRoundRunner.GRACE);

        assertThat(round).isCompleted();
        ProbeResult gateway = round.join().results().get(1);
        assertThat(gateway.ok()).isFalse();
        assertThat(gateway.detail()).isEqualTo("timeout after 400ms");
        assertThat(round.join().peerAnswered()).isTrue();
    }

    @Test
    void aLateAnswerAfterTheDeadlineDoesNotChangeTheRound() {
        CompletableFuture<ProbeRound> round = runner.run(List.of(PEER), DEADLINE);
        scheduler.advance(DEADLINE.plus(ProbeRoundRunner.GRACE));

        pending.get(PEER).complete(ProbeResult.answered(PEER, Duration.ofMillis(900)));

        assertThat(round.join().peerAnswered()).isFalse();
    }

    @Test
    void aProberThatThrowsCountsAsAFailedProbe() {
        ProbeRoundRunner throwing = new ProbeRoundRunner((t, d) -> {
            throw new IllegalStateException("no ping binary");
        }, scheduler, scheduler.clock());

        ProbeRound round = throwing.run(List.of(PEER), DEADLINE).join();

        assertThat(round.results().get(0).ok()).isFalse();
        assertThat(round.results().get(0).detail()).isEqualTo("error: no ping binary");
    }

    @Test
    void noTargetsGivesAnEmptyRoundAtOnce() {
        assertThat(runner.run(List.of(), DEADLINE).join().results()).isEmpty();
    }
}
