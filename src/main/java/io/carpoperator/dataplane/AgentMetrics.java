package io.carpoperator.dataplane;

import io.carpoperator.api.NodeState;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.TargetRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics on a Micrometer registry of its own (the agent builds its objects by hand, no CDI):
 * the VIP series, the JVM and process binders, and the memory footprint of the agent and its children read from
 * /proc at scrape time. Thread-safe; every method but {@link #render()} is cheap.
 *
 * <p>The Prometheus registry is Micrometer's simpleclient one, the only one Quarkus' Prometheus extension brings.
 */
@SuppressWarnings("deprecation") // io.micrometer.prometheus: the simpleclient registry, see above
public final class AgentMetrics implements AutoCloseable {

    private record VipKey(String vip, String label) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    /** The one carp_vip_state series per VIP (the state it is in). */
    private final Map<String, Gauge> states = new HashMap<>();
    /** Gauges and function counters read these; the maps hold them strongly, Micrometer only weakly. */
    private final Map<VipKey, AtomicReference<Double>> probeRtt = new HashMap<>();
    /** Registered once per VIP and role: looking a meter up in the registry each round cost more than the round. */
    private final Map<VipKey, Counter> probeFailures = new HashMap<>();
    private final Map<String, AtomicLong> ucarpRestarts = new HashMap<>();
    private final AtomicLong statusWriteFailures = new AtomicLong();
    /** Failures counted elsewhere (the cluster agent's status reporter), added to the exported counter. */
    private volatile LongSupplier reportedStatusWriteFailures = () -> 0;

    /** The VIP series, the JVM and process binders, and this process's memory footprint. */
    public AgentMetrics() {
        this(MemoryFootprint.ofThisProcess());
    }

    AgentMetrics(MemoryFootprint footprint) {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        footprint("carp.agent.process.rss", "resident set of the agent's JVM (VmRSS)", footprint, MemoryFootprint::ownRssBytes);
        footprint("carp.agent.process.pss", "proportional set of the agent's JVM (Pss of smaps_rollup)", footprint,
                MemoryFootprint::ownPssBytes);
        footprint("carp.agent.children.rss", "summed resident sets of the processes the agent started (ucarp, probes)",
                footprint, MemoryFootprint::childrenRssBytes);
        footprint("carp.agent.children.pss", "summed proportional sets of the processes the agent started (ucarp, probes)",
                footprint, MemoryFootprint::childrenPssBytes);
        FunctionCounter.builder("carp.status.write.failures", statusWriteFailures, failures -> statusWriteFailures())
                .description("failed writes of this node's status entry").register(registry);
    }

    private void footprint(String name, String help, MemoryFootprint footprint, ToDoubleFunction<MemoryFootprint> bytes) {
        Gauge.builder(name, footprint, bytes).strongReference(true).baseUnit(BaseUnits.BYTES).description(help).register(registry);
    }

    /** A VIP's state changed (or was first reported); counts a transition to {@code to}. */
    public synchronized void stateChanged(String vip, String address, NodeState to) {
        Gauge previous = states.remove(vip);
        if (previous != null) {
            registry.remove(previous);
        }
        states.put(vip, Gauge.builder("carp.vip.state", () -> 1)
                .tags("vip", vip, "address", address == null ? "" : address, "state", to.name())
                .description("1 for the state this node is in for the VIP").register(registry));
        Counter.builder("carp.vip.transitions").tags("vip", vip, "to", to.name())
                .description("state transitions of the VIP on this node, by target state").register(registry).increment();
    }

    /** Counts the failed probes of a round per role and keeps the last answered round trip per role. */
    public synchronized void probeRound(String vip, ProbeRound round) {
        for (ProbeResult result : round.results()) {
            String role = roleLabel(result.target().role());
            Counter failures = probeFailures.computeIfAbsent(new VipKey(vip, role), key -> Counter
                    .builder("carp.probe.failures").tags("vip", vip, "role", role)
                    .description("failed isolation-watchdog probes, by target role").register(registry));
            if (!result.ok()) {
                failures.increment();
            } else if (result.rtt() != null) {
                probeRtt.computeIfAbsent(new VipKey(vip, role), key -> {
                    AtomicReference<Double> seconds = new AtomicReference<>(Double.NaN);
                    Gauge.builder("carp.probe.rtt", seconds, AtomicReference::get).tags("vip", vip, "role", role)
                            .baseUnit("seconds")
                            .description("round-trip time of the last answered probe, by target role").register(registry);
                    return seconds;
                }).set(result.rtt().toNanos() / 1e9);
            }
        }
    }

    public synchronized void ucarpRestarts(String vip, int total) {
        ucarpRestarts.computeIfAbsent(vip, key -> {
            AtomicLong restarts = new AtomicLong();
            FunctionCounter.builder("carp.ucarp.restarts", restarts, AtomicLong::get).tags("vip", vip)
                    .description("times ucarp was restarted after it exited on its own").register(registry);
            return restarts;
        }).set(total);
    }

    /** The cluster side calls this when a status write to the API server fails. */
    public void statusWriteFailed() {
        statusWriteFailures.incrementAndGet();
    }

    public void countStatusWriteFailuresFrom(LongSupplier source) {
        reportedStatusWriteFailures = source;
    }

    public long statusWriteFailures() {
        return statusWriteFailures.get() + reportedStatusWriteFailures.getAsLong();
    }

    /** Forgets a deleted VIP so its series disappear. */
    public synchronized void remove(String vip) {
        states.remove(vip);
        probeRtt.keySet().removeIf(key -> key.vip().equals(vip));
        probeFailures.keySet().removeIf(key -> key.vip().equals(vip));
        ucarpRestarts.remove(vip);
        for (Meter meter : registry.getMeters()) {
            if (vip.equals(meter.getId().getTag("vip"))) {
                registry.remove(meter);
            }
        }
    }

    /** Prometheus text format 0.0.4. */
    public String render() {
        return registry.scrape();
    }

    /** Stops the GC listener; the registry stays readable. */
    @Override
    public void close() {
        gcMetrics.close();
    }

    static String roleLabel(TargetRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
