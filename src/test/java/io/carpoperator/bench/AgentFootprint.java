package io.carpoperator.bench;

import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Agent memory and CPU on node1 with 1, 10 and 100 VIPs, all MASTER and idle, against as many plain ucarp processes:
 * the agent's data plane runs in its own JVM ({@link AgentFootprintMain}) with the agent pod's JVM flags.
 */
final class AgentFootprint {

    /** VIP counts for the memory figures, e.g. -Dbench.footprint=1,10,100 (the default). */
    static final int[] FOOTPRINT_VIPS = java.util.Arrays.stream(System.getProperty("bench.footprint", "1,10,100").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();
    /** Footprint VIPs are 198.51.100.101..200: clear of the gateway (.1), the nodes (.11..) and the client (.100). */
    static final int FOOTPRINT_FIRST_HOST = 101;
    static final Duration AGENT_IDLE = Duration.ofSeconds(30);
    static final Duration UCARP_SETTLE = Duration.ofSeconds(10);
    /** CPU figures are clock ticks (10 ms): over 30 s one tick is 0.03 % of a core, fine enough for an idle agent. */
    static final Duration SAMPLE = Duration.ofSeconds(30);
    /**
     * MaxRAMPercentage is a share of the machine's 24 GB here, so the young generation grows large before the first
     * collection; a pod memory limit shrinks it. One extra row shows the largest count as under a 256 MiB limit.
     */
    static final String POD_LIMIT_FLAG = "-XX:MaxRAM=256m";
    static final String PLAIN = "plain ucarp";

    private final Lab lab;
    private final LabNode node1;
    private final LabNode node2;
    private final Path hooks;
    private final String password;

    AgentFootprint(Lab lab, Path hooks, String password) {
        this.lab = lab;
        this.node1 = lab.node(1);
        this.node2 = lab.node(2);
        this.hooks = hooks;
        this.password = password;
    }

    void measure() throws Exception {
        DataPlaneBench.bench(String.format("%-40s %5s %10s %10s %10s %12s %12s", "footprint (node1, idle, all MASTER)",
                "VIPs", "RSS MiB", "PSS MiB", "CPU %", "children CPU%", "ratio RSS"));
        List<String> probeRows = new ArrayList<>();
        for (int count : FOOTPRINT_VIPS) {
            Footprint plain = plainFootprint(count);
            Footprint forked = agentFootprint(count, List.of(), "exec");
            Footprint agent = agentFootprint(count, List.of(), "wire");
            probeRows.add(probeRow("process per probe, round per VIP (before)", count, forked));
            probeRows.add(probeRow("wire helper, shared rounds (after)", count, agent));
            row("agent JVM alone", count, agent.jvm(), plain.ucarps().rssMiB());
            row("agent JVM + its ucarp children", count, agent.jvm().plus(agent.ucarps()), plain.ucarps().rssMiB());
            row(PLAIN + " x" + count + " (sum)", count, plain.ucarps(), plain.ucarps().rssMiB());
            DataPlaneBench.bench(String.format("footprint %d VIPs: agent reached MASTER on %s; its own probes and hooks "
                    + "(reaped children) used %.1f %% CPU", count, agent.readiness(), agent.jvm().childrenCpuPercent()));
            if (count == FOOTPRINT_VIPS[FOOTPRINT_VIPS.length - 1]) {
                Footprint limited = agentFootprint(count, List.of(POD_LIMIT_FLAG), "wire");
                row("agent JVM alone, " + POD_LIMIT_FLAG, count, limited.jvm(), plain.ucarps().rssMiB());
            }
        }
        DataPlaneBench.bench(String.format("%-44s %5s %12s %12s %10s %12s", "probes (node1, idle, all MASTER)", "VIPs",
                "agent CPU %", "forks/s", "RSS MiB", "helper RSS"));
        probeRows.forEach(DataPlaneBench::bench);
        DataPlaneBench.bench("probes: agent CPU = its JVM + its wire helper (perl) + the probe and hook processes it"
                + " reaped, in % of one core over " + SAMPLE.toSeconds() + " s; forks/s = new processes on the whole"
                + " machine in that window (/proc/stat), the ucarps' own adverts fork nothing; RSS = JVM + helper");
    }

    private static String probeRow(String what, int count, Footprint footprint) {
        Usage jvm = footprint.jvm();
        Usage helper = footprint.helper();
        double cpu = jvm.cpuPercent() + jvm.childrenCpuPercent() + helper.cpuPercent();
        return String.format("%-44s %5d %12.1f %12.1f %10.1f %12.1f", what, count, cpu, footprint.forksPerSecond(),
                jvm.rssMiB() + helper.rssMiB(), helper.rssMiB());
    }

    private void row(String what, int count, Usage usage, double baselineRss) {
        DataPlaneBench.bench(String.format("%-40s %5d %10.1f %10.1f %10.1f %12.1f %12.2f", what, count, usage.rssMiB(),
                usage.pssMiB(), usage.cpuPercent(), usage.childrenCpuPercent(), usage.rssMiB() / baselineRss));
    }

    /** @param helper the wire helper's usage (zeros when probing by process) */
    record Footprint(Usage jvm, Usage ucarps, Usage helper, double forksPerSecond, String readiness) {
    }

    /** Memory now and CPU over the sample window; CPU in percent of one core. */
    record Usage(double rssMiB, double pssMiB, double cpuPercent, double childrenCpuPercent) {
        Usage plus(Usage other) {
            return new Usage(rssMiB + other.rssMiB, pssMiB + other.pssMiB, cpuPercent + other.cpuPercent,
                    childrenCpuPercent + other.childrenCpuPercent);
        }
    }

    /** @param prober {@code exec} (a ping or arping process per probe) or {@code wire} (the node's helper) */
    private Footprint agentFootprint(int count, List<String> extraJvmFlags, String prober) throws Exception {
        Path runDir = Files.createTempDirectory(lab.runPrefix() + "-footprint-");
        Path log = runDir.resolve("agent.log");
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.addAll(AgentSystem.JVM_FLAGS);
        argv.addAll(extraJvmFlags);
        argv.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", AgentSystem.testClassPath(),
                AgentFootprintMain.class.getName(), Integer.toString(count), Integer.toString(FOOTPRINT_FIRST_HOST),
                node2.address(), node2.heartbeatAddress(), runDir.resolve("run").toString(), password));
        ProcessBuilder command = node1.command(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().putAll(io.carpoperator.agent.AgentRuntime.NATIVE_ENV);
        command.environment().put(io.carpoperator.wire.NodeWire.PROBER_ENV, prober);
        if (prober.equals("exec")) {
            // the "before" row: a process per probe and a round per VIP, as the issue found the agent
            command.environment().put(AgentFootprintMain.ROUNDS_ENV, "per-vip");
        }
        Process agent = node1.start(command);
        try {
            String ready = awaitLine(log, "READY", Duration.ofSeconds(120));
            DataPlaneBench.pause(AGENT_IDLE);
            List<ProcessHandle> ucarps = agent.toHandle().children().filter(AgentFootprint::isUcarp).toList();
            List<ProcessHandle> helpers = agent.toHandle().children().filter(AgentFootprint::isWireHelper).toList();
            long forksBefore = machineForks();
            long windowStart = System.nanoTime();
            Map<Long, Usage> usage = sample(Stream.of(Stream.of(agent.toHandle()), ucarps.stream(), helpers.stream())
                    .flatMap(s -> s).toList());
            double forksPerSecond = (machineForks() - forksBefore) / ((System.nanoTime() - windowStart) / 1e9);
            try {
                OutputStream stdin = agent.getOutputStream();
                stdin.write("threads\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                DataPlaneBench.bench(String.format("footprint %d VIPs, %s probes: busiest threads (CPU since start): %s",
                        count, prober, awaitLine(log, "THREADS", Duration.ofSeconds(10)).substring("THREADS ".length())));
            } catch (IOException | IllegalStateException e) {
                DataPlaneBench.bench("footprint: no thread figures: " + e.getMessage());
            }
            Usage jvm = usage.get(agent.pid());
            Usage children = ucarps.stream().map(p -> usage.get(p.pid())).filter(java.util.Objects::nonNull)
                    .reduce(new Usage(0, 0, 0, 0), Usage::plus);
            Usage helper = helpers.stream().map(p -> usage.get(p.pid())).filter(java.util.Objects::nonNull)
                    .reduce(new Usage(0, 0, 0, 0), Usage::plus);
            return new Footprint(jvm, children, helper, forksPerSecond, ready.substring("READY masters=".length()) + " ("
                    + ucarps.size() + " ucarp children, " + helpers.size() + " wire helper)");
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
            DataPlaneBench.deleteTree(runDir);
        }
    }

    private Footprint plainFootprint(int count) throws Exception {
        List<Process> ucarps = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                ucarps.add(PlainUcarpSystem.start(node1, i, footprintAddress(i), PlainUcarpSystem.MASTER_SKEW, password, hooks,
                        ProcessBuilder.Redirect.DISCARD));
            }
            Instant deadline = Instant.now().plusSeconds(60);
            while (footprintAddressesHeld(count) < count && Instant.now().isBefore(deadline)) {
                DataPlaneBench.pause(Duration.ofMillis(500));
            }
            int held = footprintAddressesHeld(count);
            DataPlaneBench.pause(UCARP_SETTLE);
            Map<Long, Usage> usage = sample(ucarps.stream().map(Process::toHandle).toList());
            Usage sum = usage.values().stream().reduce(new Usage(0, 0, 0, 0), Usage::plus);
            return new Footprint(null, sum, new Usage(0, 0, 0, 0), 0, held + "/" + count);
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

    private static boolean isWireHelper(ProcessHandle p) {
        return p.info().arguments().map(args -> java.util.Arrays.stream(args)
                .anyMatch(a -> a.endsWith(io.carpoperator.wire.WireProcess.SCRIPT_NAME))).orElse(false);
    }

    /** Processes created on the machine since boot ({@code processes} in /proc/stat). */
    private static long machineForks() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("processes ")) {
                return Long.parseLong(line.substring("processes ".length()).trim());
            }
        }
        throw new IOException("no processes line in /proc/stat");
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
        DataPlaneBench.pause(SAMPLE);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<Long, Usage> usage = new LinkedHashMap<>();
        for (ProcessHandle p : processes) {
            if (!p.isAlive()) {
                DataPlaneBench.bench("footprint: pid " + p.pid() + " exited during the sample and is left out");
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

    private static String awaitLine(Path log, String prefix, Duration within) throws IOException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log)) {
                Optional<String> line = Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            DataPlaneBench.pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the footprint agent printed no " + prefix + " line within " + within
                + "; see " + log);
    }
}
