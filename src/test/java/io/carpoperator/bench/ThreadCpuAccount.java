package io.carpoperator.bench;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of the benchmark's one JVM, split by who spent it. Java threads are put in a part by identity (the event
 * loops of a known Vert.x instance), by name (the simulated agents' threads start with "bench-"), or by what they were
 * seen running: the mock server sends watch events from unnamed pool threads ("pool-N-thread-1", one per watch), so a
 * sampler looks at every thread's stack a few times a second and gives a thread running the mock server's code to the
 * mock server. What no Java thread accounts for (GC, JIT compiler) is its own part. Threads that ended within the
 * window are not counted.
 */
final class ThreadCpuAccount implements AutoCloseable {
    private static final List<String> MOCK_PACKAGES = List.of("io.fabric8.mockwebserver.", "io.fabric8.kubernetes.client.server.mock.");
    static final String AGENTS = "simulated agents and driver";
    static final String MOCK = "mock API server";
    static final String OPERATOR = "operator (Quarkus app)";
    static final String JVM = "JVM (GC, JIT; no Java thread)";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Set<Long> benchThreads = new HashSet<>();
    private final Set<Long> mockThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-cpu-sampler");
                t.setDaemon(true);
                return t;
            });

    record Snapshot(long processNanos, Map<Long, String> names, Map<Long, Long> threadNanos) {
    }

    ThreadCpuAccount() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        sampler.scheduleWithFixedDelay(this::sampleStacks, 0, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private void sampleStacks() {
        for (var info : threads.getThreadInfo(threads.getAllThreadIds(), 64)) {
            if (info != null && !mockThreads.contains(info.getThreadId()) && java.util.Arrays.stream(info.getStackTrace())
                    .anyMatch(frame -> MOCK_PACKAGES.stream().anyMatch(frame.getClassName()::startsWith))) {
                mockThreads.add(info.getThreadId());
            }
        }
    }

    /** The event loops of {@code vertx} count as the simulated agents' (their HTTP clients run on them). */
    void benchVertx(Vertx vertx) {
        benchThreads.addAll(eventLoopThreads(vertx));
    }

    /** The event loops of {@code vertx} count as the mock API server's. */
    void mockVertx(Vertx vertx) {
        mockThreads.addAll(eventLoopThreads(vertx));
    }

    Snapshot snapshot() {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                names.put(info.getThreadId(), info.getThreadName());
                nanos.put(info.getThreadId(), cpu);
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Snapshot(os.getProcessCpuTime(), names, nanos);
    }

    /** CPU seconds per part between two snapshots; the process total under "total". */
    Map<String, Double> parts(Snapshot start, Snapshot end) {
        Map<String, Double> parts = new TreeMap<>();
        double javaThreads = 0;
        for (var entry : end.threadNanos().entrySet()) {
            double seconds = (entry.getValue() - start.threadNanos().getOrDefault(entry.getKey(), 0L)) / 1e9;
            javaThreads += seconds;
            parts.merge(part(entry.getKey(), end.names().get(entry.getKey())), seconds, Double::sum);
        }
        double total = (end.processNanos() - start.processNanos()) / 1e9;
        parts.put(JVM, total - javaThreads);
        parts.put("total", total);
        return parts;
    }

    /** The operator's threads by name (digits folded), largest first: to see where its CPU went. */
    Map<String, Double> operatorThreadGroups(Snapshot start, Snapshot end) {
        Map<String, Double> groups = new HashMap<>();
        for (var entry : end.threadNanos().entrySet()) {
            String name = end.names().get(entry.getKey());
            if (part(entry.getKey(), name).equals(OPERATOR)) {
                double seconds = (entry.getValue() - start.threadNanos().getOrDefault(entry.getKey(), 0L)) / 1e9;
                groups.merge(name.replaceAll("\\d+", "N"), seconds, Double::sum);
            }
        }
        return groups;
    }

    private String part(long id, String name) {
        if (benchThreads.contains(id) || name.startsWith("bench-") || name.equals("main")) {
            return AGENTS; // the request tally runs the mock server's takeRequest, but for the benchmark
        }
        if (mockThreads.contains(id)) {
            return MOCK;
        }
        return OPERATOR;
    }

    private static Set<Long> eventLoopThreads(Vertx vertx) {
        Set<Long> ids = new HashSet<>();
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            try {
                ids.add(loop.submit(() -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException("cannot reach an event loop of " + vertx, e);
            }
        }
        return ids;
    }
}
