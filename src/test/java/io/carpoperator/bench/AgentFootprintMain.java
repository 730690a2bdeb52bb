package io.carpoperator.bench;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.VipRunner;
import io.carpoperator.api.NodeState;
import io.carpoperator.watchdog.ProbeKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The agent's data plane alone, for {@link DataPlaneBench}'s memory figures: N VipRunners in one JVM, started inside a
 * lab node (so no command prefix), with the scheduler the standalone agent uses. Prints "READY masters=M/N" once every
 * runner is MASTER (or 60 s passed), then idles until a line or end of file on stdin, then stops every runner.
 *
 * <p>Usage: {@code AgentFootprintMain COUNT FIRST_ADDRESS_HOST PEER HEARTBEAT RUN_DIR PASSWORD} — VIP i (1-based)
 * is 198.51.100.(FIRST_ADDRESS_HOST + i - 1)/24 with vhid i.
 */
public final class AgentFootprintMain {

    /**
     * {@code per-vip}: every VIP runs probe rounds of its own, as the agent did before issue 15 shared them (with
     * {@code CARP_AGENT_PROBER=exec}: the process per probe and round per VIP that the issue measured); otherwise the
     * node's VIPs share their rounds as the agent does.
     */
    static final String ROUNDS_ENV = "BENCH_ROUNDS";

    private AgentFootprintMain() {
    }

    private static DataPlaneEnvironment withRoundsOfItsOwn(DataPlaneEnvironment env) {
        return new DataPlaneEnvironment(env.runDir(), env.commandPrefix(), env.commands(), env.launcher(), env.prober(),
                env.links(), env.scheduler(), env.clock(), env.metrics(),
                new io.carpoperator.watchdog.SharedProbeRounds(env.prober(), env.scheduler(), env.clock()));
    }

    /** The {@code count} threads that used the most CPU since they started, grouped by name without trailing digits. */
    static String busiestThreads(int count) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            long nanos = threads.getThreadCpuTime(id);
            if (info != null && nanos > 0) {
                byName.merge(info.getThreadName().replaceAll("[-#]?\\d+$", "").replaceAll("vip-bench-\\d+-", "vip-N-"),
                        nanos, Long::sum);
            }
        }
        return byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(count).map(e -> e.getKey() + "=" + e.getValue() / 1_000_000 + "ms")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int firstHost = Integer.parseInt(args[1]);
        String peer = args[2];
        String heartbeat = args[3];
        Path runDir = Path.of(args[4]);
        String password = args[5];
        if (count < 1 || firstHost < 2 || firstHost + count - 1 > 254) {
            throw new IllegalArgumentException("VIPs 198.51.100." + firstHost + ".." + (firstHost + count - 1)
                    + " leave 198.51.100.0/24");
        }

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "carp-agent");
            t.setDaemon(true);
            return t;
        });
        AgentMetrics metrics = new AgentMetrics();
        DataPlaneEnvironment env = DataPlaneEnvironment.forHost(runDir, List.of(), scheduler, metrics);
        boolean roundPerVip = "per-vip".equals(System.getenv(ROUNDS_ENV));
        List<VipRunner> runners = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            // production defaults: advbase 1, probe interval 1 s, hold limit 2, recover after 2, both probe kinds,
            // gratuitous ARP every 10 s (the benchmark said "production defaults" and used 2 s until 2026-12-02)
            VipSettings settings = new VipSettings("bench-" + i, "198.51.100." + (firstHost + i - 1), 24, null, null, i,
                    true, 1, 0, password, true, List.of(peer), List.of(heartbeat), List.of(),
                    Set.of(ProbeKind.ICMP, ProbeKind.ARP), Duration.ofSeconds(1), 2, 2, Duration.ofSeconds(10));
            runners.add(VipRunner.start(settings, report -> { }, roundPerVip ? withRoundsOfItsOwn(env) : env));
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long masters = 0;
        while (System.nanoTime() < deadline) {
            masters = runners.stream().filter(r -> r.report().state() == NodeState.MASTER).count();
            if (masters == count) {
                break;
            }
            Thread.sleep(200);
        }
        System.out.println("READY masters=" + masters + "/" + count);
        System.out.flush();

        try (BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = stdin.readLine()) != null && line.equals("threads")) {
                System.out.println("THREADS " + busiestThreads(8));
                System.out.flush();
            }
        } catch (IOException closed) {
            // the benchmark went away: stop as if asked
        }
        for (VipRunner runner : runners) {
            runner.stop(false);
        }
        scheduler.shutdownNow();
        System.out.println("STOPPED");
        System.exit(0);
    }
}
