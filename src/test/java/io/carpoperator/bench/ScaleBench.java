package io.carpoperator.bench;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Status traffic at scale (issue 13): the real operator (this Quarkus app's VirtualIPReconciler, production timers)
 * against the mock API server, with one simulated agent per node writing what a real agent writes, at the real rate,
 * through a {@link SimulatedAgentModel}. Measures, in steady state after a warm-up: API writes/s (agents vs operator,
 * counted at the server), watch events per sampled agent per minute, the operator's reconciles/s (JOSDK's own counter),
 * CPU by part of the JVM, and the propagation of a master change to status.master.
 *
 * <p>One cluster size per JVM ({@code -Dbench.nodes}); bench/scale.sh loops over sizes. A benchmark, not a test: it
 * asserts nothing, bounds every wait, and is not matched by the *Test / *IT patterns.
 */
@QuarkusTest
@TestProfile(ScaleBench.ProductionTimersAnyPort.class)
@WithKubernetesTestServer(crud = true)
class ScaleBench {

    /** The production resync (10 s); any free HTTP port, since other Quarkus tests may hold the test port on this machine. */
    public static class ProductionTimersAnyPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("carp.status.resync", "10s", "carp.status.staleness", "30s", "quarkus.http.test-port", "0");
        }
    }

    static final int NODES = Integer.getInteger("bench.nodes", 50);
    static final int VIPS = Integer.getInteger("bench.vips", 20);
    static final int SAMPLED_WATCHERS = Integer.getInteger("bench.watchers", 5);
    static final int CHANGES = Integer.getInteger("bench.changes", 20);
    static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 30));
    static final Duration WINDOW = Duration.ofSeconds(Integer.getInteger("bench.window", 60));
    static final Duration REFRESH = Duration.ofSeconds(10);
    static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(30);
    /** The status model of this source tree; the one before issue 13 ("VirtualIPStatusPatches") is at commit ba863e5. */
    static final String MODEL = System.getProperty("bench.model", "NodeReportWrites");
    static final long SEED = Long.getLong("bench.seed", 13);
    /** Peers (and as many heartbeat targets) in each agent's probe round; a real agent probes every other node. */
    static final int PROBE_TARGETS = Integer.getInteger("bench.probeTargets", Integer.MAX_VALUE);
    /** Master changes rotate over this many VirtualIPs, so each VIP's change has time to show before its next one. */
    static final int PROBE_VIPS = Integer.getInteger("bench.probeVips", 4);
    static final String PAYLOAD_VIP = "vip-00";

    @Inject
    KubernetesClient operatorClient;

    @Inject
    MeterRegistry registry;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void measure() throws Exception {
        long started = System.nanoTime();
        String loadAtStart = loadAverage();
        DefaultMockServer mock = server.getKubernetesMockServer();
        ThreadCpuAccount cpu = new ThreadCpuAccount();
        List<AutoCloseable> closeLast = new ArrayList<>();
        closeLast.add(cpu);
        Vertx benchVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
        ExecutorService clientTasks = Executors.newCachedThreadPool(named("bench-client-"));
        try (ApiRequestTally tally = ApiRequestTally.start(mock)) {
            cpu.benchVertx(benchVertx);
            mockVertx(mock).ifPresent(cpu::mockVertx);
            KubernetesClient driver = client(benchVertx, clientTasks, ApiRequestTally.DRIVER_USER_AGENT);
            KubernetesClient agentClient = client(benchVertx, clientTasks, ApiRequestTally.AGENT_USER_AGENT);
            closeLast.add(driver);
            closeLast.add(agentClient);

            List<String> nodes = IntStream.range(0, NODES).mapToObj(i -> String.format(Locale.ROOT, "node-%03d", i)).toList();
            List<String> vips = IntStream.range(0, VIPS).mapToObj(i -> String.format(Locale.ROOT, "vip-%02d", i)).toList();
            createCluster(driver, nodes, vips);
            if (!awaitResolved(driver, vips, Duration.ofSeconds(120))) {
                bench("BENCH %d nodes: the operator did not resolve all %d VirtualIPs within 120 s; stopping%n", NODES, VIPS);
                return;
            }

            try (SimulatedAgentModel model = model(agentClient)) {
                // the watches first, while the server is idle: Fabric8's watch() waits for the server without a bound
                List<String> probeVips = vips.subList(0, Math.min(PROBE_VIPS, vips.size()));
                MasterWatch probe = new MasterWatch(probeVips);
                for (String vip : probeVips) {
                    var watch = java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> driver.resources(VirtualIP.class).withName(vip).watch(probe), clientTasks);
                    try {
                        Watch opened = watch.get(30, TimeUnit.SECONDS);
                        closeLast.add(0, opened::close);
                    } catch (java.util.concurrent.TimeoutException e) {
                        bench("BENCH   (the driver's watch of %s did not start within 30 s; its changes will not show)%n", vip);
                    }
                }
                List<LongAdder> watcherEvents = new ArrayList<>();
                for (int i = 0; i < Math.min(SAMPLED_WATCHERS, NODES); i++) {
                    KubernetesClient own = client(benchVertx, clientTasks, ApiRequestTally.AGENT_USER_AGENT);
                    closeLast.add(own);
                    LongAdder events = new LongAdder();
                    watcherEvents.add(events);
                    closeLast.add(0, model.watchAsAgent(own, nodes.get(i), events));
                }
                model.start(nodes, vips, vip -> nodes.get(vips.indexOf(vip) % nodes.size()), REFRESH);

                Thread.sleep(WARMUP.toMillis());

                var cpuStart = cpu.snapshot();
                var requestsStart = tally.snapshot();
                var writesStart = model.writes();
                double reconcilesStart = reconciles();
                long[] eventsStart = watcherEvents.stream().mapToLong(LongAdder::sum).toArray();
                long windowStart = System.nanoTime();

                List<MasterChange> changes = changeMasters(model, nodes, probeVips, windowStart);
                long remaining = windowStart + WINDOW.toNanos() - System.nanoTime();
                if (remaining > 0) {
                    Thread.sleep(remaining / 1_000_000);
                }

                double window = (System.nanoTime() - windowStart) / 1e9;
                var cpuEnd = cpu.snapshot();
                var requests = ApiRequestTally.minus(tally.snapshot(), requestsStart);
                var writes = model.writes().minus(writesStart);
                double reconciles = reconciles() - reconcilesStart;
                long[] events = IntStream.range(0, watcherEvents.size())
                        .mapToLong(i -> watcherEvents.get(i).sum() - eventsStart[i]).toArray();
                String loadAtEnd = loadAverage();
                // the changes of the window's last seconds may still be on their way: wait for them, bounded
                if (!changes.isEmpty()) {
                    Map<String, MasterChange> lastPerVip = new java.util.HashMap<>();
                    changes.forEach(change -> lastPerVip.put(change.vip(), change));
                    probe.awaitAll(List.copyOf(lastPerVip.values()), changes.get(changes.size() - 1).t0() + PROPAGATION_TIMEOUT.toNanos());
                }
                List<Double> latencies = new ArrayList<>();
                int timeouts = 0;
                int overtaken = 0;
                for (MasterChange change : changes) {
                    var seen = probe.firstSeen(change);
                    if (seen.isPresent() && seen.getAsLong() - change.t0() <= PROPAGATION_TIMEOUT.toNanos()) {
                        latencies.add((seen.getAsLong() - change.t0()) / 1e6);
                    } else if (seen.isEmpty() && changes.stream().anyMatch(c -> c.vip().equals(change.vip()) && c.t0() > change.t0())) {
                        overtaken++;
                    } else {
                        timeouts++;
                    }
                }

                report(model, window, requests, writes, reconciles, events, cpu.parts(cpuStart, cpuEnd),
                        cpu.operatorThreadGroups(cpuStart, cpuEnd), latencies, timeouts, overtaken, driver, loadAtStart, loadAtEnd,
                        (System.nanoTime() - started) / 1e9);
            }
        } finally {
            for (AutoCloseable closeable : closeLast) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.out.println("bench: closing " + closeable + " failed: " + e);
                }
            }
            clientTasks.shutdownNow();
            try {
                benchVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println("bench: the simulated agents' Vert.x did not close within 10 s (requests still waiting on a saturated server)");
            }
        }
    }

    private SimulatedAgentModel model(KubernetesClient agentClient) {
        return switch (MODEL) {
            case "NodeReportWrites" -> new NodeReportWrites(agentClient, REFRESH, SEED, PROBE_TARGETS);
            default -> throw new IllegalArgumentException("bench.model='" + MODEL + "' is not a model of this tree; known: NodeReportWrites"
                    + " (VirtualIPStatusPatches, the model before issue 13, runs at commit ba863e5)");
        };
    }

    /** Nodes, the password Secret and the VirtualIPs (no nodeSelector: every VIP selects every node). */
    private static void createCluster(KubernetesClient driver, List<String> nodes, List<String> vips) {
        for (String node : nodes) {
            driver.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        }
        driver.secrets().inNamespace("carp-system").resource(new SecretBuilder().withNewMetadata().withName("carp-password")
                .withNamespace("carp-system").endMetadata()
                .withData(Map.of("password", Base64.getEncoder().encodeToString("bench".getBytes()))).build()).create();
        for (int i = 0; i < vips.size(); i++) {
            VirtualIP vip = new VirtualIP();
            vip.setMetadata(new ObjectMetaBuilder().withName(vips.get(i)).build());
            VirtualIPSpec spec = new VirtualIPSpec();
            spec.address = "203.0.113." + (i + 10) + "/24";
            spec.passwordSecretRef = new SecretKeyRef("carp-password", "password");
            vip.setSpec(spec);
            driver.resources(VirtualIP.class).resource(vip).create();
        }
    }

    private static boolean awaitResolved(KubernetesClient driver, List<String> vips, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long resolved = driver.resources(VirtualIP.class).list().getItems().stream()
                    .filter(v -> v.getStatus() != null && v.getStatus().resolved != null
                            && v.getStatus().resolved.nodes.size() == NODES)
                    .count();
            if (resolved == vips.size()) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** One master change: {@code node} reported MASTER for {@code vip} at {@code t0} (System.nanoTime). */
    record MasterChange(String vip, String node, long t0) {
    }

    /**
     * CHANGES master changes on a fixed schedule over the window, rotating over the probe VIPs, whether or not the
     * previous one is visible yet (so a slow server does not stretch the window): a node that was not master before in
     * this run reports MASTER and the VIP's current master BACKUP, both at t0.
     */
    private List<MasterChange> changeMasters(SimulatedAgentModel model, List<String> nodes, List<String> probeVips,
            long windowStart) throws InterruptedException {
        List<String> candidates = new ArrayList<>(nodes.subList(Math.min(probeVips.size(), nodes.size() - 1), nodes.size()));
        Collections.shuffle(candidates, new Random(SEED));
        Map<String, String> masters = new java.util.HashMap<>();
        for (int k = 0; k < probeVips.size(); k++) {
            masters.put(probeVips.get(k), nodes.get(k % nodes.size()));
        }
        List<MasterChange> changes = new ArrayList<>();
        long spacing = WINDOW.toNanos() / Math.max(1, CHANGES);
        for (int i = 0; i < CHANGES && !candidates.isEmpty(); i++) {
            long wait = windowStart + i * spacing + spacing / 4 - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            String vip = probeVips.get(i % probeVips.size());
            String master = masters.get(vip);
            String next = candidates.get(i % candidates.size());
            if (next.equals(master)) {
                continue;
            }
            long t0 = System.nanoTime();
            model.report(next, vip, NodeState.MASTER);
            model.report(master, vip, NodeState.BACKUP);
            changes.add(new MasterChange(vip, next, t0));
            masters.put(vip, next);
        }
        return changes;
    }

    /** JOSDK's own count of reconciliations started (MicrometerMetricsV2, wired by QOSDK when Micrometer is present). */
    private double reconciles() {
        return registry.getMeters().stream()
                .filter(m -> m instanceof Counter && m.getId().getName().contains("reconciliations.started"))
                .mapToDouble(m -> ((Counter) m).count()).sum();
    }

    private String reconcileMeters() {
        return registry.getMeters().stream().map(m -> m.getId().getName()).filter(n -> n.contains("reconciliations.started"))
                .distinct().sorted().toList().toString();
    }

    private void report(SimulatedAgentModel model, double window, Map<String, Long> requests, AgentWrites.Snapshot writes,
            double reconciles, long[] events, Map<String, Double> cpu, Map<String, Double> operatorThreads, List<Double> latencies,
            int timeouts, int overtaken, KubernetesClient driver, String loadAtStart, String loadAtEnd, double elapsed) {
        bench("%nBENCH scale: %d nodes, %d VirtualIPs selecting every node; model: %s%n", NODES, VIPS, model.description());
        bench("BENCH   warm-up %d s, window %.1f s; load average %s at start, %s at the end; %d cores%n",
                WARMUP.toSeconds(), window, loadAtStart, loadAtEnd, Runtime.getRuntime().availableProcessors());
        double offered = model.offeredWritesPerSecond(NODES, VIPS);
        long serverAgentWrites = sum(requests, k -> ApiRequestTally.who(k).equals("agent") && ApiRequestTally.isWrite(k));
        long serverOperatorWrites = sum(requests, k -> ApiRequestTally.who(k).equals("operator") && ApiRequestTally.isWrite(k));
        bench("BENCH   agent writes/s: offered %.1f, sent %.1f, succeeded %.1f (%.0f%% of offered), failed %d in the window;"
                + " mean write %.1f ms; the server received %.1f/s; mean request body %.0f bytes%n", offered, writes.attempts() / window,
                writes.succeeded() / window, 100 * writes.succeeded() / window / offered, writes.failed(), writes.meanMillis(),
                serverAgentWrites / window, writes.meanBytes());
        bench("BENCH   operator writes/s: %.2f (all kinds, at the server)%n", serverOperatorWrites / window);
        requests.forEach((key, count) -> bench("BENCH     %-55s %9d  %8.2f/s%n", key, count, count / window));
        double perMinute = 60 / window;
        double mean = java.util.Arrays.stream(events).average().orElse(0) * perMinute;
        long min = java.util.Arrays.stream(events).min().orElse(0);
        long max = java.util.Arrays.stream(events).max().orElse(0);
        bench("BENCH   watch events per agent per minute: %.0f (mean of %d sampled agents of %d; min %.0f, max %.0f)."
                + " Not measured, extrapolated: all %d agents together would receive %.0f/min%n", mean, events.length, NODES,
                min * perMinute, max * perMinute, NODES, mean * NODES);
        bench("BENCH   operator reconciles/s: %.1f (JOSDK counter %s)%n", reconciles / window, reconcileMeters());
        double total = cpu.getOrDefault("total", 0.0);
        bench("BENCH   CPU over the window: process %.1f s = %.2f cores; operator %.2f cores, mock API server %.2f,"
                + " simulated agents and driver %.2f, JVM (GC, JIT) %.2f%n", total, total / window,
                cpu.getOrDefault(ThreadCpuAccount.OPERATOR, 0.0) / window, cpu.getOrDefault(ThreadCpuAccount.MOCK, 0.0) / window,
                cpu.getOrDefault(ThreadCpuAccount.AGENTS, 0.0) / window, cpu.getOrDefault(ThreadCpuAccount.JVM, 0.0) / window);
        String top = operatorThreads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / window))
                .reduce((a, b) -> a + "; " + b).orElse("");
        bench("BENCH     operator threads (cores): %s%n", top);
        Collections.sort(latencies);
        keepLatencies(latencies);
        bench("BENCH   propagation: %d master changes over %.1f s, rotating over %d VirtualIPs (each VIP changes every %.0f s);"
                + " %d visible within %d s, %d overtaken by their VIP's next change before showing, %d not visible%n",
                latencies.size() + timeouts + overtaken, WINDOW.toSeconds() * 1.0, Math.min(PROBE_VIPS, VIPS),
                WINDOW.toSeconds() * 1.0 / Math.max(1, CHANGES) * Math.min(PROBE_VIPS, VIPS), latencies.size(),
                PROPAGATION_TIMEOUT.toSeconds(), overtaken, timeouts);
        if (!latencies.isEmpty()) {
            bench("BENCH   propagation (node reports MASTER -> status.master shows it), the %d visible: median %.0f ms,"
                    + " p95 %.0f ms, max %.0f ms%n", latencies.size(), percentile(latencies, 50),
                    percentile(latencies, 95), latencies.get(latencies.size() - 1));
        }
        try {
            VirtualIP probe = driver.resources(VirtualIP.class).withName(PAYLOAD_VIP).get();
            int vipBytes = driver.getKubernetesSerialization().asJson(probe).length();
            int entries = probe.getStatus() == null || probe.getStatus().nodes == null ? 0 : probe.getStatus().nodes.size();
            bench("BENCH   payload: %s is %d bytes as JSON with %d node entries (%.0f bytes per entry); phase %s%n",
                    PAYLOAD_VIP, vipBytes, entries, entries == 0 ? 0.0 : (double) vipBytes / entries,
                    probe.getStatus() == null ? null : probe.getStatus().phase);
        } catch (RuntimeException e) {
            bench("BENCH   payload: reading %s failed: %s%n", PAYLOAD_VIP, e.getMessage() == null ? e : e.getMessage().lines().findFirst().orElse(""));
        }
        bench("BENCH   this size took %.0f s in all%n%n", elapsed);
    }

    /** One whole line or block per call: a log line of the operator must not land in the middle of a BENCH line. */
    private static void bench(String format, Object... args) {
        System.out.print(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    /** The latencies in seconds, one per line, for ScalePlot; a later run of the same model and size replaces them. */
    private static void keepLatencies(List<Double> millis) {
        try {
            Files.createDirectories(ScalePlot.RESULTS);
            String variant = PROBE_TARGETS == Integer.MAX_VALUE ? MODEL : MODEL + "-probes" + PROBE_TARGETS;
            Files.writeString(ScalePlot.RESULTS.resolve("scale-propagation-" + variant + "-" + NODES + ".txt"),
                    millis.stream().map(ms -> String.format(Locale.ROOT, "%.4f%n", ms / 1000)).reduce("", String::concat));
        } catch (java.io.IOException e) {
            bench("BENCH   (could not keep the latencies for the plot: %s)%n", e);
        }
    }

    private static long sum(Map<String, Long> requests, Predicate<String> key) {
        return requests.entrySet().stream().filter(e -> key.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    private KubernetesClient client(Vertx vertx, ExecutorService tasks, String userAgent) {
        var config = new ConfigBuilder(operatorClient.getConfiguration()).withUserAgent(userAgent).build();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new VertxHttpClientFactory(vertx))
                .withTaskExecutor(tasks).build();
    }

    /** The mock server's own Vert.x, to tell its event loops from the operator's threads; empty if not reachable. */
    private static java.util.Optional<Vertx> mockVertx(DefaultMockServer mock) {
        try {
            var serverField = DefaultMockServer.class.getDeclaredField("server");
            serverField.setAccessible(true);
            var vertxField = MockWebServer.class.getDeclaredField("vertx");
            vertxField.setAccessible(true);
            return java.util.Optional.of((Vertx) vertxField.get(serverField.get(mock)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("bench: cannot find the mock server's Vert.x (" + e + "); its threads count as the operator's");
            return java.util.Optional.empty();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** Every status.master the driver's watches delivered for the probe VirtualIPs, with when it arrived. */
    static final class MasterWatch implements Watcher<VirtualIP> {
        private record Seen(long at, String master) {
        }

        private final Map<String, List<Seen>> seen = new java.util.HashMap<>();

        MasterWatch(List<String> vips) {
            vips.forEach(vip -> seen.put(vip, new ArrayList<>()));
        }

        @Override
        public synchronized void eventReceived(Action action, VirtualIP vip) {
            List<Seen> list = seen.get(vip.getMetadata().getName());
            if (list == null || vip.getStatus() == null) {
                return; // in case the server ignores a watch's name selector
            }
            list.add(new Seen(System.nanoTime(), vip.getStatus().master));
            notifyAll();
        }

        @Override
        public void onClose(WatcherException cause) {
            System.out.println("bench: a probe watch closed: " + cause);
        }

        /** When the change's node first showed as its VIP's master at or after the change. */
        synchronized java.util.OptionalLong firstSeen(MasterChange change) {
            return seen.get(change.vip()).stream().filter(s -> s.at() >= change.t0() && change.node().equals(s.master()))
                    .mapToLong(Seen::at).findFirst();
        }

        /** Waits until every change showed, or until {@code deadline} (System.nanoTime). */
        synchronized void awaitAll(List<MasterChange> changes, long deadline) throws InterruptedException {
            while (changes.stream().anyMatch(c -> firstSeen(c).isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
