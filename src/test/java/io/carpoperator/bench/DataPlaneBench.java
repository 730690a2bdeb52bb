package io.carpoperator.bench;

import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabTopology;
import io.carpoperator.lab.SeedHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data-plane figures on one two-node lab: carp-operator's agent, plain ucarp, keepalived and the seed's watchdog, each
 * in the scenarios it takes part in, interleaved run by run so machine noise hits all alike; then the agent's memory
 * and CPU. A benchmark, not a test: it asserts nothing and runs only when asked for (bench/dataplane.sh); it is not
 * matched by the *Test / *IT patterns. Every figure line starts with "BENCH". In the crash and link-down scenarios each
 * run's failover is also broken down ({@link FailoverBreakdown}): a sniffer on the client's wire and node2's ucarp log
 * time node1's last advert, node2's MASTER line, its up hook's start, its gratuitous ARP and the client's first reply.
 *
 * <p>Properties: bench.runs (10), bench.seedRuns (as bench.runs; the seed needs about two minutes a run),
 * bench.systems (agent,ucarp,keepalived,seed-watchdog), bench.scenarios (all, or slugs among footprint and
 * {@link Scenario}'s: kill, link-down, graceful, graceful-group, graceful-all, ucarp-crash, isolation),
 * bench.images (docs/img), bench.footprint (1,10,100), bench.jitterSeed (6: the random fault phases).
 */
class DataPlaneBench {

    static final int RUNS = Integer.getInteger("bench.runs", 10);
    static final int SEED_RUNS = Integer.getInteger("bench.seedRuns", RUNS);
    static final String VIP = LabTopology.SUGGESTED_VIP;
    static final String PASSWORD = "bench-secret";
    static final Path IMAGES = Path.of(System.getProperty("bench.images", "docs/img"));
    static final String SCENARIOS = System.getProperty("bench.scenarios", "all");
    static final Set<String> SYSTEMS = Set.of(System.getProperty("bench.systems", "agent,ucarp,keepalived,seed-watchdog")
            .split(","));
    /** Seeds the fault-phase jitter, so two runs of the command draw the same delays. */
    static final long JITTER_SEED = Long.getLong("bench.jitterSeed", 6);
    static final String OUTAGE_BASELINE = "plain ucarp";
    static final String ISOLATION_BASELINE = "seed ucarp-watchdog.sh";

    @Test
    void measure() throws Exception {
        // before the lab: a mistyped slug fails at once
        Set<Scenario> scenarios = Scenario.parse(SCENARIOS);
        Lab.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("the data-plane benchmark needs the lab: " + reason);
        });
        Lab lab = Lab.builder().nodes(2).build();
        Path work = null;
        Path hooks = null;
        try {
            work = Files.createTempDirectory(lab.runPrefix() + "-bench-");
            hooks = SeedHooks.write(lab.runPrefix());
            BenchPair pair = new BenchPair(lab, lab.node(1), lab.node(2), VIP, PASSWORD, work);
            List<FailoverSystem> systems = Stream.of(new AgentSystem(pair), new PlainUcarpSystem(pair, hooks),
                    new KeepalivedSystem(pair), new SeedWatchdogSystem(pair))
                    .filter(s -> SYSTEMS.contains(s.slug())).map(FailoverSystem.class::cast).toList();
            bench(String.format("lab %s, %d runs per system and scenario (seed watchdog: %d), systems interleaved run by run;"
                    + " systems: %s", lab.runPrefix(), RUNS, Math.min(SEED_RUNS, RUNS),
                    systems.stream().map(FailoverSystem::name).collect(Collectors.joining(", "))));
            if (!scenarios.isEmpty()) {
                outages(new ScenarioRunner(pair, new Random(JITTER_SEED)), systems, scenarios);
            }
            if (Scenario.selectsFootprint(SCENARIOS)) {
                new AgentFootprint(lab, hooks, PASSWORD).measure();
            }
        } finally {
            lab.close();
            deleteTree(work);
            deleteTree(hooks);
        }
    }

    private static void outages(ScenarioRunner runner, List<FailoverSystem> systems, Set<Scenario> scenarios)
            throws IOException {
        SampleTable table = new SampleTable();
        List<String> notes = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            for (Scenario scenario : scenarios) {
                for (int i = 0; i < systems.size(); i++) {
                    FailoverSystem system = systems.get(i);
                    boolean slow = system instanceof SeedWatchdogSystem;
                    if (!system.scenarios().contains(scenario) || (slow && run > SEED_RUNS)) {
                        continue;
                    }
                    int vhid = vhid(i, scenario);
                    try {
                        ScenarioRunner.RunOutcome outcome = runner.run(system, scenario, vhid, faultPhase(run, scenario));
                        for (Map.Entry<String, Double> figure : outcome.figures().entrySet()) {
                            table.add(figure.getKey(), system.name(), figure.getValue());
                            bench(String.format("sample run %d %s %s: %.3f s", run, figure.getKey(), system.name(),
                                    figure.getValue()));
                        }
                        for (String note : outcome.notes()) {
                            notes.add("run " + run + ": " + note);
                            bench("note run " + run + ": " + note);
                        }
                        if (run == 1) {
                            writeImage("timeline-" + scenario.slug() + "-" + system.slug() + ".svg",
                                    SvgTimeline.render(outcome.timeline()));
                        }
                    } catch (RuntimeException e) {
                        String note = String.format("run %d: %s %s failed: %s", run, system.name(), scenario.slug(), e);
                        notes.add(note);
                        bench("note " + note);
                    }
                }
            }
            bench("run " + run + "/" + RUNS + " done");
        }
        summary(table, notes);
    }

    /** The point of node1's advert cycle at which run {@code run} of {@code scenario} faults, the same for every system. */
    static Duration faultPhase(int run, Scenario scenario) {
        Random draw = new Random(JITTER_SEED * 1_000_003L + run * 31L + scenario.ordinal());
        return Duration.ofMillis(draw.nextInt((int) ScenarioRunner.ADVERT_INTERVAL.toMillis()));
    }

    /**
     * A VRRP/CARP id per system and scenario, so no stale advert of another system's or scenario's run counts; with 4
     * systems and 7 scenarios they stay in 20..47.
     */
    static int vhid(int systemIndex, Scenario scenario) {
        return 20 + Scenario.values().length * systemIndex + scenario.ordinal();
    }

    /** One table of the summary: a metric's key in the {@link SampleTable}, its title, the system ratios are against. */
    record Metric(String key, String title, String baseline) {
    }

    /**
     * The summary's tables in print order: every outage scenario, each traced one followed by its failover breakdown,
     * the ucarp-crash details, then isolation.
     */
    static List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            if (scenario != Scenario.ISOLATION) {
                metrics.add(new Metric(scenario.slug(), "client outage, " + scenario.description() + ", seconds",
                        OUTAGE_BASELINE));
            }
            if (ScenarioRunner.TRACED.contains(scenario)) {
                for (FailoverBreakdown.Figure figure : FailoverBreakdown.FIGURES) {
                    metrics.add(new Metric(FailoverBreakdown.key(scenario, figure.suffix()), scenario.slug() + " breakdown: "
                            + figure.title() + ", seconds", OUTAGE_BASELINE));
                }
            }
        }
        String poll = " (upper bound: holder polls every " + HolderSampler.FINE_PERIOD.toMillis() + " ms)";
        metrics.add(new Metric(ScenarioRunner.CRASH_RELEASE, "ucarp-crash: SIGKILL until node1 no longer holds the VIP"
                + poll + ", seconds; required: at most 0.2", OUTAGE_BASELINE));
        metrics.add(new Metric(ScenarioRunner.CRASH_SINGLE_HOLDER, "ucarp-crash: SIGKILL until exactly one node holds the"
                + " VIP again" + poll + ", seconds", OUTAGE_BASELINE));
        metrics.add(new Metric(ScenarioRunner.CRASH_TWO_HOLDERS, "ucarp-crash: longest time both nodes held the VIP, "
                + "from the SIGKILL until the agent starts ucarp again (0 when never), seconds", OUTAGE_BASELINE));
        metrics.add(new Metric(ScenarioRunner.CRASH_RECLAIM_TWO_HOLDERS, "ucarp-crash: longest time both nodes held the"
                + " VIP after that, while the restarted ucarp (preferred, preempting) takes it back, within "
                + ScenarioRunner.CRASH_WATCH.toSeconds() + " s of the SIGKILL, seconds", OUTAGE_BASELINE));
        metrics.add(new Metric(ScenarioRunner.CRASH_POLL_INTERVAL, "ucarp-crash: longest interval between holder polls"
                + " in that watch (the resolution of the four figures above), seconds", OUTAGE_BASELINE));
        metrics.add(new Metric(ScenarioRunner.WITHDRAW, "isolation to withdraw (fault until the VIP is gone from the "
                + "isolated node1), seconds", ISOLATION_BASELINE));
        metrics.add(new Metric(ScenarioRunner.REJOIN, "recovery: heal until the isolated node1 takes part again (its "
                + "ucarp runs / its VRRP instance left FAULT), seconds", ISOLATION_BASELINE));
        metrics.add(new Metric(ScenarioRunner.RECLAIM, "heal until node1, the preferred master, holds the VIP again, "
                + "seconds", ISOLATION_BASELINE));
        return metrics;
    }

    private static void summary(SampleTable table, List<String> notes) throws IOException {
        for (Metric metric : metrics()) {
            Map<String, SampleStats> stats = table.stats(metric.key());
            if (stats.isEmpty()) {
                continue;
            }
            table.format(metric.key(), metric.title(), metric.baseline()).forEach(DataPlaneBench::bench);
            writeImage("bars-" + metric.key() + ".svg", SvgBarChart.render(metric.title(), stats.entrySet().stream()
                    .map(e -> new SvgBarChart.Bar(e.getKey(), e.getValue())).toList()));
        }
        notes.forEach(note -> bench("note " + note));
    }

    private static void writeImage(String name, String svg) throws IOException {
        Files.createDirectories(IMAGES);
        Files.writeString(IMAGES.resolve(name), svg);
        bench("wrote " + IMAGES.resolve(name));
    }

    static void bench(String line) {
        System.out.println("BENCH " + line);
        System.out.flush();
    }

    static void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
