package io.carpoperator.bench;

import static org.awaitility.Awaitility.await;

import io.carpoperator.agent.LabAgents;
import io.carpoperator.agent.LabAgents.RunningVip;
import io.carpoperator.agent.VipSettings;
import io.carpoperator.api.NodeState;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.LabTopology;
import io.carpoperator.lab.OutageReport;
import io.carpoperator.lab.SeedHooks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Data-plane figures on one two-node lab: carp-operator's VipRunner against plain ucarp with the same timers
 * (advbase 1, master skew 0, backup skew 10, preempt, seed-style up/down scripts), interleaved run by run so machine
 * noise hits both alike. A benchmark, not a test: it asserts nothing and runs only when asked for
 * (bench/dataplane.sh); it is not matched by the *Test / *IT patterns. Every figure line starts with "BENCH".
 */
class DataPlaneBench {

    static final int RUNS = Integer.getInteger("bench.runs", 10);
    static final String VIP = LabTopology.SUGGESTED_VIP;
    static final String PASSWORD = "bench-secret";
    static final int MASTER_SKEW = 0;
    static final int BACKUP_SKEW = 10;
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final int HOLD_LIMIT = 2;
    static final Duration ISOLATION_WATCH = Duration.ofSeconds(20);
    /** VIP counts for the memory figures, e.g. -Dbench.footprint=1,10,100 (the default). */
    static final int[] FOOTPRINT_VIPS = java.util.Arrays.stream(System.getProperty("bench.footprint", "1,10,100").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();
    /** Footprint VIPs are 198.51.100.101..200: clear of the gateway (.1), the nodes (.11..) and the client (.100). */
    static final int FOOTPRINT_FIRST_HOST = 101;
    static final Duration AGENT_IDLE = Duration.ofSeconds(30);
    static final Duration UCARP_SETTLE = Duration.ofSeconds(10);
    static final Duration SAMPLE = Duration.ofSeconds(10);
    /** The agent pod's JAVA_OPTS (AgentManifests.AGENT_JVM_OPTIONS); -Dbench.agentJvm="..." tries others. */
    static final List<String> IMAGE_JVM_FLAGS = List.of(System.getProperty("bench.agentJvm",
            io.carpoperator.operator.AgentManifests.AGENT_JVM_OPTIONS).trim().split("\\s+"));
    /** -Dbench.scenarios=footprint measures memory and CPU only. */
    static final boolean OUTAGES = !"footprint".equals(System.getProperty("bench.scenarios", "all"));
    /**
     * MaxRAMPercentage is a share of the machine's 24 GB here, so the young generation grows large before the first
     * collection; a pod memory limit shrinks it. One extra row shows the largest count as under a 256 MiB limit.
     */
    static final String POD_LIMIT_FLAG = "-XX:MaxRAM=256m";
    static final String OURS = "carp-operator VipRunner";
    static final String PLAIN = "plain ucarp";

    private Lab lab;
    private LabAgents agents;
    private LabNode node1;
    private LabNode node2;
    private Path scripts;
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    @Test
    void measure() throws Exception {
        Lab.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("the data-plane benchmark needs the lab: " + reason);
        });
        lab = Lab.builder().nodes(2).build();
        try {
            agents = new LabAgents(lab);
            node1 = lab.node(1);
            node2 = lab.node(2);
            scripts = SeedHooks.write(lab.runPrefix());
            bench("lab " + lab.runPrefix() + ", " + RUNS + " runs per system and scenario, systems interleaved run by run");

            for (int run = 1; OUTAGES && run <= RUNS; run++) {
                record("failover", OURS, failoverOurs());
                record("failover", PLAIN, failoverPlain());
                record("handover", OURS, handoverOurs());
                record("handover", PLAIN, handoverPlain());
                record("isolation", OURS, isolationOurs());
                bench("run " + run + "/" + RUNS + " done");
            }
            if (OUTAGES) {
            isolationPlain();

            table("failover outage seen by the client, master killed hard (kill -9 of ucarp + link down), seconds",
                    "failover");
            table("graceful handover outage seen by the client (VipRunner.stop(true) vs ucarp SIGTERM with -z), seconds",
                    "handover");
            table("isolation to withdraw (address gone from the isolated master; probe interval 1 s, hold limit 2), seconds",
                    "isolation");
            notes.forEach(DataPlaneBench::bench);
            }

            footprint();
        } finally {
            try {
                if (agents != null) {
                    agents.close();
                }
            } finally {
                lab.close();
                deleteTree(scripts);
            }
        }
    }

    // ---- failover ----------------------------------------------------------------------------------------------

    private double failoverOurs() {
        RunningVip[] pair = ourPair(1, PROBE_INTERVAL);
        try (ClientPinger pinger = servingPinger()) {
            Instant faultAt = Instant.now();
            lab.faults().killHard(pair[0].runner().ucarpPid().orElseThrow());
            lab.faults().linkDown(node1);
            return outageUntilServedBy(node2, pinger, faultAt);
        } finally {
            resetLab();
        }
    }

    private double failoverPlain() {
        Process[] pair = plainPair(2);
        try (ClientPinger pinger = servingPinger()) {
            Instant faultAt = Instant.now();
            lab.faults().killHard(pair[0]);
            lab.faults().linkDown(node1);
            return outageUntilServedBy(node2, pinger, faultAt);
        } finally {
            stopPlain(pair);
            resetLab();
        }
    }

    // ---- graceful handover -------------------------------------------------------------------------------------

    private double handoverOurs() {
        RunningVip[] pair = ourPair(3, PROBE_INTERVAL);
        try (ClientPinger pinger = servingPinger()) {
            Instant stopAt = Instant.now();
            pair[0].runner().stop(true);
            return outageUntilServedBy(node2, pinger, stopAt);
        } finally {
            resetLab();
        }
    }

    private double handoverPlain() {
        Process[] pair = plainPair(4);
        try (ClientPinger pinger = servingPinger()) {
            Instant stopAt = Instant.now();
            pair[0].destroy();
            return outageUntilServedBy(node2, pinger, stopAt);
        } finally {
            stopPlain(pair);
            resetLab();
        }
    }

    // ---- isolation ---------------------------------------------------------------------------------------------

    private double isolationOurs() {
        ourPair(5, PROBE_INTERVAL);
        try {
            Instant isolatedAt = Instant.now();
            lab.faults().isolate(node1);
            Withdrawal w = watchIsolatedMaster(isolatedAt, ISOLATION_WATCH);
            bench(String.format("isolation %s: withdrawn after %s, backup holds after %s, both held for %.2f s",
                    OURS, w.withdrawnText(), w.takenOverText(), w.overlapSeconds()));
            return w.withdrawn().map(DataPlaneBench::seconds).orElse(ISOLATION_WATCH.toMillis() / 1000.0);
        } finally {
            lab.faults().heal(node1);
            resetLab();
        }
    }

    /** Once: plain ucarp has no watchdog, so the isolated master keeps the address; 20 s is enough to show it. */
    private void isolationPlain() {
        Process[] pair = plainPair(6);
        try {
            Instant isolatedAt = Instant.now();
            lab.faults().isolate(node1);
            Withdrawal w = watchIsolatedMaster(isolatedAt, ISOLATION_WATCH);
            String withdrawn = w.withdrawn().isPresent() ? "withdrawn after " + w.withdrawnText()
                    : "never within " + ISOLATION_WATCH.toSeconds() + " s";
            notes.add(String.format("isolation %s (1 run): %s; backup holds after %s, both held for %.2f s of the %d s watched",
                    PLAIN, withdrawn, w.takenOverText(), w.overlapSeconds(), ISOLATION_WATCH.toSeconds()));
        } finally {
            lab.faults().heal(node1);
            stopPlain(pair);
            resetLab();
        }
    }

    /** When the isolated node1 let go of the VIP and when node2 took it, both measured from the fault. */
    record Withdrawal(Optional<Duration> withdrawn, Optional<Duration> takenOver, Duration watched) {
        String withdrawnText() {
            return withdrawn.map(d -> String.format("%.2f s", seconds(d))).orElse("never within " + watched.toSeconds() + " s");
        }

        String takenOverText() {
            return takenOver.map(d -> String.format("%.2f s", seconds(d))).orElse("never within " + watched.toSeconds() + " s");
        }

        double overlapSeconds() {
            if (takenOver.isEmpty()) {
                return 0;
            }
            Duration end = withdrawn.orElse(watched);
            return Math.max(0, seconds(end) - seconds(takenOver.get()));
        }
    }

    private Withdrawal watchIsolatedMaster(Instant isolatedAt, Duration watch) {
        Optional<Duration> withdrawn = Optional.empty();
        Optional<Duration> takenOver = Optional.empty();
        Instant until = isolatedAt.plus(watch);
        while (Instant.now().isBefore(until) && (withdrawn.isEmpty() || takenOver.isEmpty())) {
            if (withdrawn.isEmpty() && !node1.hasAddress(VIP)) {
                withdrawn = Optional.of(Duration.between(isolatedAt, Instant.now()));
            }
            if (takenOver.isEmpty() && node2.hasAddress(VIP)) {
                takenOver = Optional.of(Duration.between(isolatedAt, Instant.now()));
            }
            pause(Duration.ofMillis(10));
        }
        return new Withdrawal(withdrawn, takenOver, watch);
    }

    // ---- memory and CPU ----------------------------------------------------------------------------------------

    private void footprint() throws Exception {
        bench(String.format("%-40s %5s %10s %10s %10s %12s %12s", "footprint (node1, idle, all MASTER)", "VIPs",
                "RSS MiB", "PSS MiB", "CPU %", "children CPU%", "ratio RSS"));
        for (int count : FOOTPRINT_VIPS) {
            Footprint plain = plainFootprint(count);
            Footprint agent = agentFootprint(count, List.of());
            row("agent JVM alone", count, agent.jvm(), plain.ucarps().rssMiB());
            row("agent JVM + its ucarp children", count, agent.jvm().plus(agent.ucarps()), plain.ucarps().rssMiB());
            row(PLAIN + " x" + count + " (sum)", count, plain.ucarps(), plain.ucarps().rssMiB());
            bench(String.format("footprint %d VIPs: agent reached MASTER on %s; its own probes and hooks (reaped children) "
                    + "used %.1f %% CPU", count, agent.readiness(), agent.jvm().childrenCpuPercent()));
            if (count == FOOTPRINT_VIPS[FOOTPRINT_VIPS.length - 1]) {
                Footprint limited = agentFootprint(count, List.of(POD_LIMIT_FLAG));
                row("agent JVM alone, " + POD_LIMIT_FLAG, count, limited.jvm(), plain.ucarps().rssMiB());
            }
        }
    }

    private void row(String what, int count, Usage usage, double baselineRss) {
        bench(String.format("%-40s %5d %10.1f %10.1f %10.1f %12.1f %12.2f", what, count, usage.rssMiB(), usage.pssMiB(),
                usage.cpuPercent(), usage.childrenCpuPercent(), usage.rssMiB() / baselineRss));
    }

    record Footprint(Usage jvm, Usage ucarps, String readiness) {
    }

    /** Memory now and CPU over the sample window; CPU in percent of one core. */
    record Usage(double rssMiB, double pssMiB, double cpuPercent, double childrenCpuPercent) {
        Usage plus(Usage other) {
            return new Usage(rssMiB + other.rssMiB, pssMiB + other.pssMiB, cpuPercent + other.cpuPercent,
                    childrenCpuPercent + other.childrenCpuPercent);
        }
    }

    private Footprint agentFootprint(int count, List<String> extraJvmFlags) throws Exception {
        Path runDir = Files.createTempDirectory(lab.runPrefix() + "-footprint-");
        Path log = runDir.resolve("agent.log");
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.addAll(IMAGE_JVM_FLAGS);
        argv.addAll(extraJvmFlags);
        argv.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", testClassPath(),
                AgentFootprintMain.class.getName(), Integer.toString(count), Integer.toString(FOOTPRINT_FIRST_HOST),
                node2.address(), node2.heartbeatAddress(), runDir.resolve("run").toString(), PASSWORD));
        ProcessBuilder command = node1.command(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().putAll(io.carpoperator.operator.AgentManifests.AGENT_NATIVE_ENV);
        Process agent = node1.start(command);
        try {
            String ready = awaitLine(log, "READY", Duration.ofSeconds(120));
            pause(AGENT_IDLE);
            List<ProcessHandle> ucarps = agent.toHandle().children().filter(DataPlaneBench::isUcarp).toList();
            Map<Long, Usage> usage = sample(Stream.concat(Stream.of(agent.toHandle()), ucarps.stream()).toList());
            Usage jvm = usage.get(agent.pid());
            Usage children = usage.entrySet().stream().filter(e -> e.getKey() != agent.pid()).map(Map.Entry::getValue)
                    .reduce(new Usage(0, 0, 0, 0), Usage::plus);
            return new Footprint(jvm, children, ready.substring("READY masters=".length()) + " (" + ucarps.size()
                    + " ucarp children)");
        } finally {
            try (OutputStream stdin = agent.getOutputStream()) {
                stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException gone) {
                // it exited already
            }
            if (!agent.waitFor(60, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
            removeFootprintAddresses(count);
            deleteTree(runDir);
        }
    }

    private Footprint plainFootprint(int count) throws Exception {
        List<Process> ucarps = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                ucarps.add(startPlainUcarp(node1, i, footprintAddress(i), MASTER_SKEW));
            }
            Instant deadline = Instant.now().plusSeconds(60);
            while (footprintAddressesHeld(count) < count && Instant.now().isBefore(deadline)) {
                pause(Duration.ofMillis(500));
            }
            int held = footprintAddressesHeld(count);
            pause(UCARP_SETTLE);
            Map<Long, Usage> usage = sample(ucarps.stream().map(Process::toHandle).toList());
            Usage sum = usage.values().stream().reduce(new Usage(0, 0, 0, 0), Usage::plus);
            return new Footprint(null, sum, held + "/" + count);
        } finally {
            ucarps.forEach(Process::destroy);
            for (Process p : ucarps) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            removeFootprintAddresses(count);
        }
    }

    private static boolean isUcarp(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("/ucarp")).orElse(false);
    }

    /** RSS and PSS at the end of the window, CPU (own, and reaped children's) over it, per pid. */
    private static Map<Long, Usage> sample(List<ProcessHandle> processes) throws IOException {
        Map<Long, long[]> before = new LinkedHashMap<>();
        for (ProcessHandle p : processes) {
            before.put(p.pid(), cpuTicks(p.pid()));
        }
        long start = System.nanoTime();
        pause(SAMPLE);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<Long, Usage> usage = new LinkedHashMap<>();
        for (ProcessHandle p : processes) {
            if (!p.isAlive()) {
                bench("footprint: pid " + p.pid() + " exited during the sample and is left out");
                continue;
            }
            long[] after = cpuTicks(p.pid());
            long[] was = before.get(p.pid());
            // USER_HZ is 100 on Linux
            double own = (after[0] - was[0]) / 100.0 / elapsed * 100;
            double children = (after[1] - was[1]) / 100.0 / elapsed * 100;
            usage.put(p.pid(), new Usage(statusKiB(p.pid(), "/status", "VmRSS:") / 1024.0,
                    statusKiB(p.pid(), "/smaps_rollup", "Pss:") / 1024.0, own, children));
        }
        return usage;
    }

    /** utime+stime and cutime+cstime from /proc/PID/stat, in clock ticks. */
    private static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after "(comm)": state is index 0, so utime (field 14) is index 11
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    private static long statusKiB(long pid, String file, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + file))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + file);
    }

    private static String footprintAddress(int i) {
        return "198.51.100." + (FOOTPRINT_FIRST_HOST + i - 1);
    }

    private int footprintAddressesHeld(int count) {
        String output = node1.run(List.of("ip", "-o", "-4", "addr", "show", "dev", node1.vipInterface())).output();
        int held = 0;
        for (int i = 1; i <= count; i++) {
            if (output.contains("inet " + footprintAddress(i) + "/")) {
                held++;
            }
        }
        return held;
    }

    private void removeFootprintAddresses(int count) {
        String output = node1.run(List.of("ip", "-o", "-4", "addr", "show", "dev", node1.vipInterface())).output();
        for (int i = 1; i <= count; i++) {
            if (output.contains("inet " + footprintAddress(i) + "/")) {
                node1.run(List.of("ip", "addr", "del", footprintAddress(i) + "/24", "dev", node1.vipInterface()));
            }
        }
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String awaitLine(Path log, String prefix, Duration within) throws IOException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log)) {
                Optional<String> line = Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the footprint agent printed no " + prefix + " line within " + within
                + "; see " + log);
    }

    // ---- the two systems ---------------------------------------------------------------------------------------

    /** node1 MASTER (skew 0), then node2 BACKUP (skew 10), both preempting, watchdog on. */
    private RunningVip[] ourPair(int vhid, Duration probeInterval) {
        List<String> toNode2 = List.of(node2.address());
        RunningVip master = agents.start(node1, LabAgents.settings("bench", VIP, vhid, MASTER_SKEW, true, PASSWORD,
                toNode2, List.of(node2.heartbeatAddress()), probeInterval, HOLD_LIMIT));
        master.awaitState(NodeState.MASTER, Duration.ofSeconds(10));
        RunningVip backup = agents.start(node2, LabAgents.settings("bench", VIP, vhid, BACKUP_SKEW, true, PASSWORD,
                List.of(node1.address()), List.of(node1.heartbeatAddress()), probeInterval, HOLD_LIMIT));
        backup.awaitState(NodeState.BACKUP, Duration.ofSeconds(5));
        settle();
        return new RunningVip[] {master, backup};
    }

    /** The same pair with plain ucarp: node1 master first, then node2 as backup. */
    private Process[] plainPair(int vhid) {
        Process master = startPlainUcarp(node1, vhid, VIP, MASTER_SKEW);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> node1.hasAddress(VIP));
        Process backup = startPlainUcarp(node2, vhid, VIP, BACKUP_SKEW);
        settle();
        return new Process[] {master, backup};
    }

    /** Both systems get the same time with a steady master and backup before the fault. */
    private static void settle() {
        pause(Duration.ofMillis(1500));
    }

    /** Seed-style: -b 1, -k SKEW, -P, -z, up/down scripts doing ip addr add/del with the prefix as xparam. */
    private Process startPlainUcarp(LabNode node, int vhid, String vip, int skew) {
        ProcessBuilder builder = node.command(List.of("ucarp", "-i", node.vipInterface(), "-s", node.address(),
                "-v", Integer.toString(vhid), "-p", PASSWORD, "-a", vip, "-b", "1", "-k", Integer.toString(skew), "-P", "-z",
                "-u", scripts.resolve(SeedHooks.UP).toString(), "-d", scripts.resolve(SeedHooks.DOWN).toString(),
                "-x", Integer.toString(LabTopology.PREFIX_LENGTH)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return node.start(builder);
    }

    private static void stopPlain(Process[] pair) {
        for (Process p : pair) {
            p.destroyForcibly();
        }
        for (Process p : pair) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops every runner, brings node1's link back, and removes the VIP wherever a killed process left it. */
    private void resetLab() {
        agents.stopAll();
        for (LabNode node : lab.nodes()) {
            if (!node.hasCarrier()) {
                lab.faults().linkUp(node);
            }
            if (node.hasAddress(VIP)) {
                node.run(List.of("ip", "addr", "del", VIP + "/" + LabTopology.PREFIX_LENGTH, "dev", node.vipInterface()));
            }
        }
    }

    // ---- the client --------------------------------------------------------------------------------------------

    private ClientPinger servingPinger() {
        ClientPinger pinger = lab.startPinger(VIP);
        Instant from = Instant.now();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> pinger.replyCountSince(from) >= 20);
        return pinger;
    }

    /**
     * The longest silence the client saw from just before the fault until it got replies again with {@code node}
     * holding the VIP; when nothing came back within 15 s the whole window counts.
     */
    private static double outageUntilServedBy(LabNode node, ClientPinger pinger, Instant faultAt) {
        Instant giveUp = faultAt.plusSeconds(15);
        try {
            await().atMost(Duration.between(Instant.now(), giveUp)).pollInterval(Duration.ofMillis(20))
                    .until(() -> node.hasAddress(VIP));
            Instant holds = Instant.now();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pinger.replyCountSince(holds) >= 5);
        } catch (ConditionTimeoutException noServiceYet) {
            return seconds(Duration.between(faultAt, Instant.now()));
        }
        OutageReport report = pinger.report();
        return seconds(report.longestGap(faultAt.minusMillis(200), report.lastReply().orElseThrow()).duration());
    }

    // ---- figures -----------------------------------------------------------------------------------------------

    private void record(String scenario, String system, double value) {
        samples.computeIfAbsent(scenario + "|" + system, k -> new ArrayList<>()).add(value);
        bench(String.format("sample %s %s: %.3f s", scenario, system, value));
    }

    private void table(String title, String scenario) {
        bench(title);
        bench(String.format("  %-26s %5s %9s %9s %9s %13s", "system", "runs", "median", "p95", "max", "ratio ours/base"));
        double baseline = median(samples.get(scenario + "|" + PLAIN));
        for (String system : List.of(OURS, PLAIN)) {
            List<Double> values = samples.get(scenario + "|" + system);
            if (values == null) {
                continue;
            }
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            String ratio = system.equals(OURS) && !Double.isNaN(baseline)
                    ? String.format("%.2f", median(sorted) / baseline) : "";
            bench(String.format("  %-26s %5d %9.3f %9.3f %9.3f %13s", system, sorted.size(), median(sorted),
                    percentile(sorted, 95), sorted.get(sorted.size() - 1), ratio));
        }
    }

    private static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest rank, as in OperatorBench: with 10 runs the p95 is the maximum. */
    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static void bench(String line) {
        System.out.println("BENCH " + line);
        System.out.flush();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- scripts -----------------------------------------------------------------------------------------------



    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
