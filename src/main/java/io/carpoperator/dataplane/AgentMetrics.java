package io.carpoperator.dataplane;

import io.carpoperator.api.NodeState;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.TargetRole;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's Prometheus metrics, rendered in the text exposition format by hand: a handful of series does not
 * justify a metrics library in the data plane. Thread-safe; every method is cheap.
 */
public final class AgentMetrics {

    private record VipKey(String vip, String label) implements Comparable<VipKey> {
        @Override
        public int compareTo(VipKey other) {
            int byVip = vip.compareTo(other.vip);
            return byVip != 0 ? byVip : label.compareTo(other.label);
        }
    }

    private record StateEntry(String address, NodeState state) {
    }

    private final Map<String, StateEntry> states = new TreeMap<>();
    private final Map<VipKey, Long> transitions = new TreeMap<>();
    private final Map<VipKey, Long> probeFailures = new TreeMap<>();
    private final Map<VipKey, Double> probeRtt = new TreeMap<>();
    private final Map<String, Integer> ucarpRestarts = new TreeMap<>();
    private long statusWriteFailures;
    /** Failures counted elsewhere (the cluster agent's status reporter), added to the exported counter. */
    private java.util.function.LongSupplier reportedStatusWriteFailures = () -> 0;

    /** A VIP's state changed (or was first reported); counts a transition to {@code to}. */
    public synchronized void stateChanged(String vip, String address, NodeState to) {
        states.put(vip, new StateEntry(address, to));
        transitions.merge(new VipKey(vip, to.name()), 1L, Long::sum);
    }

    /** Counts the failed probes of a round per role and keeps the last answered round trip per role. */
    public synchronized void probeRound(String vip, ProbeRound round) {
        for (ProbeResult result : round.results()) {
            VipKey key = new VipKey(vip, roleLabel(result.target().role()));
            if (result.ok()) {
                probeFailures.putIfAbsent(key, 0L);
                if (result.rtt() != null) {
                    probeRtt.put(key, result.rtt().toNanos() / 1e9);
                }
            } else {
                probeFailures.merge(key, 1L, Long::sum);
            }
        }
    }

    public synchronized void ucarpRestarts(String vip, int total) {
        ucarpRestarts.put(vip, total);
    }

    /** The cluster side calls this when a status write to the API server fails. */
    public synchronized void statusWriteFailed() {
        statusWriteFailures++;
    }

    public synchronized void countStatusWriteFailuresFrom(java.util.function.LongSupplier source) {
        reportedStatusWriteFailures = source;
    }

    public synchronized long statusWriteFailures() {
        return statusWriteFailures + reportedStatusWriteFailures.getAsLong();
    }

    /** Forgets a deleted VIP so its series disappear. */
    public synchronized void remove(String vip) {
        states.remove(vip);
        transitions.keySet().removeIf(k -> k.vip.equals(vip));
        probeFailures.keySet().removeIf(k -> k.vip.equals(vip));
        probeRtt.keySet().removeIf(k -> k.vip.equals(vip));
        ucarpRestarts.remove(vip);
    }

    /** Prometheus text format 0.0.4. */
    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        header(out, "carp_vip_state", "gauge", "1 for the state this node is in for the VIP");
        states.forEach((vip, entry) -> out.append("carp_vip_state{vip=\"").append(escape(vip))
                .append("\",address=\"").append(escape(entry.address() == null ? "" : entry.address()))
                .append("\",state=\"").append(entry.state().name()).append("\"} 1\n"));
        header(out, "carp_vip_transitions_total", "counter", "state transitions of the VIP on this node, by target state");
        transitions.forEach((k, v) -> out.append("carp_vip_transitions_total{vip=\"").append(escape(k.vip))
                .append("\",to=\"").append(k.label).append("\"} ").append(v).append('\n'));
        header(out, "carp_probe_failures_total", "counter", "failed isolation-watchdog probes, by target role");
        probeFailures.forEach((k, v) -> out.append("carp_probe_failures_total{vip=\"").append(escape(k.vip))
                .append("\",role=\"").append(k.label).append("\"} ").append(v).append('\n'));
        header(out, "carp_probe_rtt_seconds", "gauge", "round-trip time of the last answered probe, by target role");
        probeRtt.forEach((k, v) -> out.append("carp_probe_rtt_seconds{vip=\"").append(escape(k.vip))
                .append("\",role=\"").append(k.label).append("\"} ").append(String.format(Locale.ROOT, "%.6f", v)).append('\n'));
        header(out, "carp_ucarp_restarts_total", "counter", "times ucarp was restarted after it exited on its own");
        ucarpRestarts.forEach((vip, v) -> out.append("carp_ucarp_restarts_total{vip=\"").append(escape(vip))
                .append("\"} ").append(v).append('\n'));
        header(out, "carp_status_write_failures_total", "counter", "failed writes of this node's status entry");
        out.append("carp_status_write_failures_total ").append(statusWriteFailures()).append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static String roleLabel(TargetRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
