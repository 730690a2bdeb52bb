package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.carpoperator.testing.ManualScheduler;

class SharedProbeRoundsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final ProbeTarget PEER = ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12");
    private static final ProbeTarget GATEWAY = ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1");
    private static final ProbeTarget OTHER_PEER = ProbeTarget.icmp(TargetRole.PEER, "198.51.100.13");

    private final ManualScheduler scheduler = new ManualScheduler();
    /** Every probe sent, as "address@millis since the epoch's second". */
    private final List<String> probes = new CopyOnWriteArrayList<>();
    private final Prober prober = (target, deadline) -> {
        probes.add(target.address() + "@" + scheduler.clock().millis() % 100_000);
        return CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(1)));
    };
    private final SharedProbeRounds rounds = new SharedProbeRounds(prober, scheduler, scheduler.clock());

    private SharedProbeRounds.Subscription subscribe(String name, List<ProbeTarget> targets, List<ProbeRound> into) {
        return rounds.subscribe(name, INTERVAL, DEADLINE, () -> targets, into::add);
    }

    @Test
    void aHundredSubscribersWithTheSameTargetsShareOneRoundPerTick() {
        List<List<ProbeRound>> received = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<ProbeRound> mine = new ArrayList<>();
            received.add(mine);
            subscribe("vip " + i, List.of(PEER, GATEWAY), mine);
        }
        scheduler.runDueTasks();
        probes.clear();

        scheduler.advance(INTERVAL.multipliedBy(3));

        assertThat(probes).as("two targets, three ticks: six probes for a hundred VIPs").hasSize(6);
        assertThat(received).allSatisfy(mine -> assertThat(mine).hasSize(4));
        assertThat(received.get(0).get(3)).as("the same round object reaches every subscriber")
                .isSameAs(received.get(99).get(3));
    }

    @Test
    void subscribersWithOtherTargetsOrDeadlinesGetRoundsOfTheirOwn() {
        List<ProbeRound> a = new ArrayList<>();
        List<ProbeRound> b = new ArrayList<>();
        List<ProbeRound> c = new ArrayList<>();
        subscribe("vip a", List.of(PEER), a);
        subscribe("vip b", List.of(OTHER_PEER), b);
        rounds.subscribe("vip c", INTERVAL, Duration.ofMillis(300), () -> List.of(PEER), c::add);
        scheduler.runDueTasks();
        probes.clear();

        scheduler.advance(INTERVAL);

        assertThat(probes).as("peer for a, other peer for b, peer again for c's shorter deadline")
                .containsExactlyInAnyOrder("198.51.100.12@1000", "198.51.100.13@1000", "198.51.100.12@1000");
        assertThat(a).hasSize(2).last().satisfies(r -> assertThat(r.results()).extracting(ProbeResult::target)
                .containsExactly(PEER));
        assertThat(b).hasSize(2).last().satisfies(r -> assertThat(r.results()).extracting(ProbeResult::target)
                .containsExactly(OTHER_PEER));
        assertThat(c).hasSize(2);
    }

    @Test
    void aLateSubscriberProbesAtOnceThenJoinsTheTicksFromHalfAnIntervalOn() {
        subscribe("vip a", List.of(GATEWAY), new ArrayList<>());
        scheduler.runDueTasks();
        scheduler.advance(Duration.ofMillis(1_700));
        List<ProbeRound> late = new ArrayList<>();
        subscribe("vip b", List.of(GATEWAY), late);
        scheduler.runDueTasks();
        probes.clear();

        scheduler.advance(Duration.ofMillis(300));
        assertThat(late).as("its own round at 1.7 s; 2 s is too close to it").hasSize(1);
        assertThat(probes).as("a's tick at 2 s still ran").containsExactly("198.51.100.1@2000");

        scheduler.advance(INTERVAL);
        assertThat(late).as("from 3 s on it shares a's ticks").hasSize(2);
        assertThat(probes).containsExactly("198.51.100.1@2000", "198.51.100.1@3000");
    }

    @Test
    void aSubscriberTakesTheTargetsItNamesAtEachTick() {
        List<ProbeTarget> current = new CopyOnWriteArrayList<>(List.of(PEER));
        List<ProbeRound> received = new ArrayList<>();
        rounds.subscribe("vip a", INTERVAL, DEADLINE, () -> List.copyOf(current), received::add);
        scheduler.runDueTasks();
        current.add(GATEWAY);

        scheduler.advance(INTERVAL);

        assertThat(received.get(0).results()).extracting(ProbeResult::target).containsExactly(PEER);
        assertThat(received.get(1).results()).extracting(ProbeResult::target).containsExactly(PEER, GATEWAY);
    }

    @Test
    void aRoundStillRunningMakesOnlyItsOwnSubscribersSkipATick() {
        List<CompletableFuture<ProbeResult>> slow = new ArrayList<>();
        Prober mixed = (target, deadline) -> {
            probes.add(target.address() + "@" + scheduler.clock().millis() % 100_000);
            if (target.equals(OTHER_PEER)) {
                CompletableFuture<ProbeResult> never = new CompletableFuture<>();
                slow.add(never);
                return never;
            }
            return CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(1)));
        };
        SharedProbeRounds shared = new SharedProbeRounds(mixed, scheduler, scheduler.clock());
        List<ProbeRound> quick = new ArrayList<>();
        List<ProbeRound> stuck = new ArrayList<>();
        shared.subscribe("vip quick", INTERVAL, Duration.ofMillis(950), () -> List.of(PEER), quick::add);
        shared.subscribe("vip stuck", INTERVAL, Duration.ofMillis(950), () -> List.of(OTHER_PEER), stuck::add);
        scheduler.runDueTasks();

        scheduler.advance(INTERVAL);

        assertThat(quick).hasSize(2);
        assertThat(slow).as("the tick at 1 s found the stuck round (closes at 1.05 s) running").hasSize(1);
        scheduler.advance(INTERVAL);
        assertThat(stuck).as("closed at its deadline as timed out").hasSize(1)
                .first().satisfies(r -> assertThat(r.results().get(0).ok()).isFalse());
        assertThat(slow).as("and probed again at 2 s").hasSize(2);
        assertThat(quick).hasSize(3);
    }

    @Test
    void targetsThatCannotBeDeterminedSkipOnlyThatSubscriber() {
        List<ProbeRound> fine = new ArrayList<>();
        subscribe("vip fine", List.of(PEER), fine);
        rounds.subscribe("vip broken", INTERVAL, DEADLINE, () -> {
            throw new IllegalStateException("interface gone");
        }, round -> { throw new AssertionError("no round without targets"); });
        scheduler.runDueTasks();

        scheduler.advance(INTERVAL);

        assertThat(fine).hasSize(2);
    }

    @Test
    void aFailingListenerDoesNotKeepTheRoundFromTheOthers() {
        List<ProbeRound> fine = new ArrayList<>();
        rounds.subscribe("vip broken", INTERVAL, DEADLINE, () -> List.of(PEER), round -> {
            throw new IllegalStateException("listener bug");
        });
        subscribe("vip fine", List.of(PEER), fine);
        scheduler.runDueTasks();

        scheduler.advance(INTERVAL.multipliedBy(2));

        assertThat(fine).hasSize(3);
    }

    @Test
    void retimingMovesASubscriberToTheOtherIntervalsTicksWithoutAnExtraRound() {
        List<ProbeRound> moving = new ArrayList<>();
        SharedProbeRounds.Subscription subscription = subscribe("vip a", List.of(PEER), moving);
        scheduler.runDueTasks();
        scheduler.advance(Duration.ofMillis(500));

        subscription.retime(Duration.ofSeconds(3), DEADLINE);
        scheduler.advance(Duration.ofMillis(2_400));
        assertThat(moving).as("nothing at the old 1 s and 2 s ticks").hasSize(1);
        assertThat(rounds.tickers()).as("the 1 s ticker went with its last subscriber").isEqualTo(1);

        scheduler.advance(Duration.ofMillis(100));
        assertThat(moving).as("a round at the next multiple of 3 s").hasSize(2);
        subscription.retime(Duration.ofSeconds(3), Duration.ofMillis(700));
        assertThat(rounds.tickers()).isEqualTo(1);
    }

    @Test
    void theLastSubscriberLeavingStopsTheTicker() {
        SharedProbeRounds.Subscription a = subscribe("vip a", List.of(PEER), new ArrayList<>());
        List<ProbeRound> b = new ArrayList<>();
        SharedProbeRounds.Subscription bSubscription = subscribe("vip b", List.of(PEER), b);
        scheduler.runDueTasks();
        a.close();
        scheduler.advance(INTERVAL);
        assertThat(b).as("b still ticks").hasSize(2);

        bSubscription.close();
        scheduler.advance(INTERVAL.multipliedBy(3));

        assertThat(b).hasSize(2);
        assertThat(rounds.tickers()).isZero();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aRoundFinishingAfterItsSubscriberLeftIsNotDelivered() {
        CompletableFuture<ProbeResult> answer = new CompletableFuture<>();
        SharedProbeRounds late = new SharedProbeRounds((target, deadline) -> answer, scheduler, scheduler.clock());
        List<ProbeRound> received = new ArrayList<>();
        SharedProbeRounds.Subscription subscription = late.subscribe("vip a", INTERVAL, DEADLINE, () -> List.of(PEER),
                received::add);
        scheduler.runDueTasks();

        subscription.close();
        answer.complete(ProbeResult.answered(PEER, Duration.ofMillis(1)));

        assertThat(received).isEmpty();
    }

    @Test
    void ticksFallOnTheWallClocksMultiplesOfTheInterval() {
        List<Instant> at = new ArrayList<>();
        scheduler.advance(Duration.ofMillis(130));
        rounds.subscribe("vip a", INTERVAL, DEADLINE, () -> List.of(PEER), round -> at.add(round.at()));
        scheduler.advance(Duration.ofSeconds(3));

        assertThat(at).extracting(Instant::toEpochMilli).extracting(ms -> ms % 100_000)
                .containsExactly(130L, 1_000L, 2_000L, 3_000L);
    }

    @Test
    void aSubscriberStartedExactlyHalfAnIntervalBeforeATickJoinsIt() {
        subscribe("vip a", List.of(GATEWAY), new ArrayList<>());
        scheduler.runDueTasks();
        scheduler.advance(Duration.ofMillis(1_500));
        List<ProbeRound> late = new ArrayList<>();
        subscribe("vip b", List.of(GATEWAY), late);
        scheduler.runDueTasks();

        scheduler.advance(Duration.ofMillis(500));

        assertThat(late).as("its own round at 1.5 s and the tick at 2 s, half an interval later").hasSize(2);
    }

    @Test
    void retimingWithTheSameIntervalKeepsItsTicksAndTakesTheNewDeadline() {
        List<Duration> deadlines = new ArrayList<>();
        SharedProbeRounds timed = new SharedProbeRounds((target, deadline) -> {
            deadlines.add(deadline);
            return CompletableFuture.completedFuture(ProbeResult.answered(target, Duration.ofMillis(1)));
        }, scheduler, scheduler.clock());
        SharedProbeRounds.Subscription subscription = timed.subscribe("vip a", INTERVAL, DEADLINE, () -> List.of(PEER),
                round -> { });
        scheduler.runDueTasks();
        scheduler.advance(Duration.ofMillis(600));

        subscription.retime(INTERVAL, Duration.ofMillis(300));
        scheduler.advance(Duration.ofMillis(400));

        assertThat(deadlines).as("the tick at 1 s came, with the new deadline")
                .containsExactly(DEADLINE, Duration.ofMillis(300));
    }

    @Test
    void aSubscriptionClosedBeforeItsFirstRoundNeverProbes() {
        List<ProbeRound> received = new ArrayList<>();
        SharedProbeRounds.Subscription subscription = subscribe("vip a", List.of(PEER), received);

        subscription.close();
        scheduler.advance(INTERVAL.multipliedBy(2));

        assertThat(probes).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void retimingAClosedSubscriptionStartsNothing() {
        SharedProbeRounds.Subscription subscription = subscribe("vip a", List.of(PEER), new ArrayList<>());
        scheduler.runDueTasks();
        subscription.close();

        subscription.retime(Duration.ofSeconds(2), DEADLINE);
        scheduler.advance(Duration.ofSeconds(4));

        assertThat(rounds.tickers()).isZero();
        assertThat(probes).as("only the first round").hasSize(1);
    }
}
