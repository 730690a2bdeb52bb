package io.carpoperator.bench;

import static org.awaitility.Awaitility.await;

import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.OutageReport;
import io.carpoperator.lab.PingReply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One run of one system in one scenario: start the pair, let it settle, start the client and the holder polls (and,
 * in the {@link #TRACED} scenarios, the sniffer on the client's wire), inject the fault on node1, measure, then stop
 * everything and reset the lab.
 */
final class ScenarioRunner {

    /** Every system gets the same steady time with master and backup running before the fault. */
    static final Duration SETTLE = Duration.ofMillis(1500);
    static final Duration LEAD_IN = Duration.ofSeconds(1);
    static final Duration SERVED_LIMIT = Duration.ofSeconds(15);
    /** The seed polls every 30 s and needs two isolated rounds, plus ping's own timeouts. */
    static final Duration WITHDRAW_LIMIT = Duration.ofSeconds(150);
    static final Duration ISOLATED_HOLD = Duration.ofSeconds(2);
    /** The seed polls every 30 s; its ping of the peer can take 10 s more. */
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);
    /** After taking part again, a preferred master with preemption takes the VIP back within a few adverts. */
    static final Duration RECLAIM_LIMIT = Duration.ofSeconds(15);
    private static final int MASTER = 0;
    private static final int BACKUP = 1;

    /** The figures of one run in seconds (metric name to value), notes for what did not happen, and the timeline. */
    record RunOutcome(Map<String, Double> figures, List<String> notes, Timeline timeline) {
    }

    /**
     * A random part of one advertisement interval before the fault, so it lands anywhere in the advert cycle: with
     * fixed delays a system that starts the same way every run is always hit at the same point of its cycle.
     */
    static final Duration ADVERT_INTERVAL = Duration.ofSeconds(1);

    /**
     * The scenarios whose failovers are broken down ({@link FailoverBreakdown}) from the client's wire and node2's ucarp
     * log: where the time between node1's last advert and the client's first reply from node2 goes.
     */
    static final Set<Scenario> TRACED = EnumSet.of(Scenario.KILL, Scenario.LINK_DOWN);

    private final BenchPair pair;
    private final Random random;
    /** node2's MAC on the VIP network, read once: its GARPs and replies are told from node1's by it. */
    private String backupMac;

    ScenarioRunner(BenchPair pair, Random random) {
        this.pair = pair;
        this.random = random;
    }

    /** Fault until the VIP is gone from the isolated node1. */
    static final String WITHDRAW = "isolation-withdraw";
    /** Heal until node1's instance takes part in the election again (its ucarp runs, its VRRP instance left FAULT). */
    static final String REJOIN = "isolation-rejoin";
    /** Heal until node1, the preferred master, holds the VIP again. */
    static final String RECLAIM = "isolation-reclaim";
    /** ucarp's SIGKILL until node1 no longer holds the VIP (the agent's requirement: 0.2 s). */
    static final String CRASH_RELEASE = "ucarp-crash-release";
    /** ucarp's SIGKILL until exactly one node holds the VIP again, after node1 alone no longer did. */
    static final String CRASH_SINGLE_HOLDER = "ucarp-crash-single-holder";
    /** The longest time both nodes held the VIP from ucarp's SIGKILL until the agent starts it again; zero when never. */
    static final String CRASH_TWO_HOLDERS = "ucarp-crash-two-holders";
    /** The longest time both nodes held the VIP after node1's ucarp was started again and took the VIP back (preemption). */
    static final String CRASH_RECLAIM_TWO_HOLDERS = "ucarp-crash-reclaim-two-holders";
    /** The longest interval between holder polls in that watch: the resolution of the three figures above. */
    static final String CRASH_POLL_INTERVAL = "ucarp-crash-poll-interval";
    /**
     * How long a ucarp crash is watched: the agent's restart back-off (0.5 s), a new ucarp's three silent adverts before
     * it claims the VIP, node2's takeover and node1's preemption all fit, with room.
     */
    static final Duration CRASH_WATCH = Duration.ofSeconds(10);

    RunOutcome run(FailoverSystem system, Scenario scenario, int vhid) {
        return run(system, scenario, vhid, null);
    }

    /** @param phase where in node1's advert cycle the fault falls (traced scenarios); null: a random part of an interval */
    RunOutcome run(FailoverSystem system, Scenario scenario, int vhid, Duration phase) {
        try {
            system.start(vhid);
            DataPlaneBench.pause(SETTLE);
            // the finer polls only where a figure is held against a limit of a few hundred milliseconds
            Duration period = scenario == Scenario.UCARP_CRASH ? HolderSampler.FINE_PERIOD : HolderSampler.PERIOD;
            boolean traced = TRACED.contains(scenario);
            if (traced && backupMac == null) {
                backupMac = pair.macOf(pair.backup());
            }
            // the sniffer listens in the client's namespace only, from before the fault until the run's end; null (no
            // capture, nothing to close) in the scenarios not broken down
            try (ClientPinger pinger = servingPinger(); HolderSampler sampler = HolderSampler.start(
                    List.of(pair.master(), pair.backup()), pair.vip(), period);
                 WireTimeline wire = traced ? WireTimeline.start(pair.lab().client(), pair.workDir()) : null) {
                DataPlaneBench.pause(LEAD_IN);
                faultPhase(wire, phase);
                Instant faultAt = Instant.now();
                return switch (scenario) {
                    case ISOLATION -> isolation(system, pinger, sampler, faultAt);
                    case UCARP_CRASH -> ucarpCrash(system, pinger, sampler, faultAt);
                    default -> outage(system, scenario, vhid, pinger, sampler, Optional.ofNullable(wire), faultAt);
                };
            }
        } finally {
            system.stopAll();
            pair.reset();
        }
    }

    private RunOutcome outage(FailoverSystem system, Scenario scenario, int vhid, ClientPinger pinger,
                              HolderSampler sampler, Optional<WireTimeline> wire, Instant faultAt) {
        switch (scenario) {
            case KILL -> {
                system.killMasterHard();
                // a crashed node: otherwise node1's kernel keeps answering for the VIP and the client sees no outage
                pair.removeVip(pair.master());
            }
            case LINK_DOWN -> pair.lab().faults().linkDown(pair.master());
            case GRACEFUL -> system.stopMasterGracefully(SignalPath.MAIN_PROCESS);
            case GRACEFUL_GROUP -> system.stopMasterGracefully(SignalPath.PROCESS_GROUP);
            case GRACEFUL_ALL -> system.stopMasterGracefully(SignalPath.EVERY_PROCESS);
            default -> throw new IllegalArgumentException(scenario + " is not an outage scenario");
        }
        List<String> notes = new ArrayList<>();
        Optional<Instant> served = sampler.await(BACKUP, true, faultAt, SERVED_LIMIT);
        double outage;
        if (served.isEmpty()) {
            outage = seconds(faultAt, Instant.now());
            notes.add(String.format("%s %s: node2 did not take the VIP within %d s", system.name(), scenario.slug(),
                    SERVED_LIMIT.toSeconds()));
        } else {
            Instant holds = served.get();
            try {
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> pinger.replyCountSince(holds) >= 5);
                OutageReport report = pinger.report();
                outage = report.longestGap(faultAt.minusMillis(200), report.lastReply().orElseThrow()).duration()
                        .toNanos() / 1e9;
            } catch (org.awaitility.core.ConditionTimeoutException noReplies) {
                outage = seconds(faultAt, Instant.now());
                notes.add(String.format("%s %s: node2 held the VIP but the client got no replies within 3 s",
                        system.name(), scenario.slug()));
            }
        }
        DataPlaneBench.pause(LEAD_IN);
        Instant end = Instant.now();
        Map<String, Double> figures = new LinkedHashMap<>(Map.of(scenario.slug(), outage));
        List<Timeline.Marker> markers = new ArrayList<>(List.of(new Timeline.Marker(faultAt, scenario.markerLabel())));
        wire.ifPresent(capture -> {
            FailoverBreakdown breakdown = breakdown(system, scenario, vhid, faultAt, capture);
            figures.putAll(breakdown.figures());
            notes.addAll(breakdown.notes());
            markers.addAll(breakdown.markers());
        });
        Timeline timeline = timeline(system, scenario, faultAt, end, pinger, sampler, markers);
        return new RunOutcome(figures, notes, timeline);
    }

    /** The failover's breakdown from what the client's wire showed so far and node2's ucarp lines, if it has ucarp. */
    private FailoverBreakdown breakdown(FailoverSystem system, Scenario scenario, int vhid, Instant faultAt,
                                        WireTimeline wire) {
        FailoverBreakdown.Subject subject = new FailoverBreakdown.Subject(system.name(), scenario, faultAt, vhid,
                pair.master().address(), pair.vip(), backupMac);
        return FailoverBreakdown.of(subject, wire.events(), wire.startFailure(),
                system.ucarpLog(pair.backup()).map(log -> UcarpLog.read(log, ZoneId.systemDefault())));
    }

    private RunOutcome isolation(FailoverSystem system, ClientPinger pinger, HolderSampler sampler, Instant faultAt) {
        pair.lab().faults().isolate(pair.master());
        Map<String, Double> figures = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<Timeline.Marker> markers = new ArrayList<>(List.of(new Timeline.Marker(faultAt,
                Scenario.ISOLATION.markerLabel())));
        Optional<Instant> withdrawn = sampler.await(MASTER, false, faultAt, WITHDRAW_LIMIT);
        withdrawn.ifPresentOrElse(at -> figures.put(WITHDRAW, seconds(faultAt, at)),
                () -> notes.add(String.format("%s: node1 kept the VIP for the %d s watched", system.name(),
                        WITHDRAW_LIMIT.toSeconds())));
        DataPlaneBench.pause(Duration.between(Instant.now(),
                withdrawn.map(at -> at.plus(ISOLATED_HOLD)).orElse(Instant.now())));
        Instant healedAt = Instant.now();
        pair.lab().faults().heal(pair.master());
        markers.add(new Timeline.Marker(healedAt, "healed"));

        Optional<Instant> rejoined = awaitTakingPart(system, healedAt.plus(RECOVERY_LIMIT));
        rejoined.ifPresentOrElse(at -> {
            figures.put(REJOIN, seconds(healedAt, at));
            markers.add(new Timeline.Marker(at, "node1 takes part again"));
        }, () -> notes.add(String.format("%s: node1 did not take part again within %d s of the heal", system.name(),
                RECOVERY_LIMIT.toSeconds())));
        Instant reclaimLimit = rejoined.orElse(healedAt).plus(RECLAIM_LIMIT);
        Optional<Instant> reclaimed = sampler.await(MASTER, true, healedAt, Duration.between(Instant.now(), reclaimLimit));
        reclaimed.ifPresentOrElse(at -> figures.put(RECLAIM, seconds(healedAt, at)),
                () -> notes.add(String.format("%s: node1 did not hold the VIP again within %d s of taking part",
                        system.name(), RECLAIM_LIMIT.toSeconds())));
        DataPlaneBench.pause(Duration.ofSeconds(2));
        return new RunOutcome(figures, notes, timeline(system, Scenario.ISOLATION, faultAt, Instant.now(), pinger,
                sampler, markers));
    }

    /**
     * SIGKILL to node1's ucarp only, then a fixed watch of {@link #CRASH_WATCH}: when node1 let go of the VIP, when one
     * node alone held it again, how long both held it, and the client's longest silence (a VIP not back by the end of
     * the watch counts to the end). Holder times come from polls at {@link HolderSampler#FINE_PERIOD}: each is late by
     * at most one poll interval, reported per run as {@link #CRASH_POLL_INTERVAL}.
     */
    private RunOutcome ucarpCrash(FailoverSystem system, ClientPinger pinger, HolderSampler sampler, Instant killAt) {
        system.killMasterElectionProcess();
        DataPlaneBench.pause(Duration.between(Instant.now(), killAt.plus(CRASH_WATCH)));
        Instant end = Instant.now();
        HolderSeries series = sampler.series();
        Map<String, Double> figures = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<Timeline.Marker> markers = new ArrayList<>(List.of(new Timeline.Marker(killAt,
                Scenario.UCARP_CRASH.markerLabel())));

        OutageReport report = pinger.report();
        figures.put(Scenario.UCARP_CRASH.slug(), report.longestGap(killAt.minusMillis(200), end).duration().toNanos() / 1e9);
        series.first(MASTER, false, killAt).ifPresentOrElse(at -> {
            figures.put(CRASH_RELEASE, seconds(killAt, at));
            markers.add(new Timeline.Marker(at, "node1 released"));
        }, () -> notes.add(String.format("%s %s: node1 kept the VIP for the %d s watched", system.name(),
                Scenario.UCARP_CRASH.slug(), CRASH_WATCH.toSeconds())));
        series.firstNotSoleHolder(MASTER, killAt).flatMap(series::firstSingleHolder).ifPresentOrElse(
                at -> figures.put(CRASH_SINGLE_HOLDER, seconds(killAt, at)),
                () -> notes.add(String.format("%s %s: no single holder after node1 alone within the %d s watched",
                        system.name(), Scenario.UCARP_CRASH.slug(), CRASH_WATCH.toSeconds())));
        // until the crashed ucarp is started again: what the crash itself costs; after it: the restarted ucarp, preferred
        // and preempting, takes the VIP back, and ucarp 1.5.2 sends the first advert that makes node2 let go only one
        // advert period after it claimed the VIP (its log: "Putting MASTER down - preemption", node2's a period later)
        Instant restart = killAt.plus(io.carpoperator.dataplane.VipRunner.firstRestartDelay(1));
        figures.put(CRASH_TWO_HOLDERS, series.longestMultipleHolders(killAt, restart).toNanos() / 1e9);
        figures.put(CRASH_RECLAIM_TWO_HOLDERS, series.longestMultipleHolders(restart, end).toNanos() / 1e9);
        if (series.endsWithMultipleHolders(killAt, end)) {
            notes.add(String.format("%s %s: both nodes still held the VIP at the end of the %d s watched", system.name(),
                    Scenario.UCARP_CRASH.slug(), CRASH_WATCH.toSeconds()));
        }
        figures.put(CRASH_POLL_INTERVAL, series.longestInterval(killAt, end).toNanos() / 1e9);
        return new RunOutcome(figures, notes, timeline(system, Scenario.UCARP_CRASH, killAt, end, pinger, sampler,
                markers));
    }

    /** Polls the system until node1's instance takes part in the election again; empty when it did not by the limit. */
    private static Optional<Instant> awaitTakingPart(FailoverSystem system, Instant limit) {
        while (Instant.now().isBefore(limit)) {
            if (system.masterTakesPart()) {
                return Optional.of(Instant.now());
            }
            DataPlaneBench.pause(HolderSampler.PERIOD);
        }
        return Optional.empty();
    }

    private Timeline timeline(FailoverSystem system, Scenario scenario, Instant faultAt, Instant end, ClientPinger pinger,
                              HolderSampler sampler, List<Timeline.Marker> markers) {
        List<Instant> replies = pinger.report().replies().stream().map(PingReply::at).toList();
        return new Timeline(system.name() + ": " + scenario.description(), faultAt, faultAt.minus(LEAD_IN), end, replies,
                List.of(pair.master().name(), pair.backup().name()), sampler.samples(), markers);
    }

    /**
     * Waits until the fault's moment: with the sniffer, {@code phase} after node1's next advert on the wire, so every
     * system of a run is hit at the same point of its advert cycle (a paired comparison: without it, ten random
     * draws per system left the agent's faults 0.27 s after an advert in the median and plain ucarp's 0.71 s, which
     * moved their outages further apart than anything the systems did); without it, a random part of an interval.
     */
    private void faultPhase(WireTimeline wire, Duration phase) {
        Duration wanted = phase != null ? phase : phaseJitter();
        if (wire != null) {
            Optional<Instant> advert = wire.awaitAdvert(pair.master().address(), Instant.now(), ADVERT_INTERVAL.multipliedBy(2));
            if (advert.isPresent()) {
                DataPlaneBench.pause(Duration.between(Instant.now(), advert.get().plus(wanted)));
                return;
            }
        }
        DataPlaneBench.pause(wanted);
    }

    private Duration phaseJitter() {
        return Duration.ofMillis(random.nextInt((int) ADVERT_INTERVAL.toMillis()));
    }

    private ClientPinger servingPinger() {
        ClientPinger pinger = pair.lab().startPinger(pair.vip());
        Instant from = Instant.now();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> pinger.replyCountSince(from) >= 20);
        return pinger;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
