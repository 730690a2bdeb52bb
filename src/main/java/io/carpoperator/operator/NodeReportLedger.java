package io.carpoperator.operator;

import io.carpoperator.api.NodeStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the operator has received from the agents' NodeReports, stamped with its own receive times: freshness and
 * "who became MASTER after whom" never depend on a node's clock, so a node cannot keep a fake claim fresh by
 * future-dating it. Tells which VirtualIPs a report changed, so a refresh that changes nothing triggers no reconcile.
 */
final class NodeReportLedger {

    /**
     * One node's entry for one VirtualIP. {@code stateSince} is when the operator first received this state,
     * {@code lastReceived} when it last received the node's report; {@code initial} marks entries first seen in the
     * operator's initial list, whose order of arrival says nothing (see {@link StatusAggregator}), and for those the
     * writer's own lastUpdate is kept.
     */
    record Received(NodeStatus status, Instant stateSince, Instant lastReceived, boolean initial, String writerLastUpdate) {
        String writerSince() {
            return status.since;
        }
    }

    private final Map<String, Map<String, Received>> byNode = new HashMap<>();

    /** Records a node's whole report received at {@code at}; returns the VirtualIPs whose entry changed meaningfully. */
    synchronized Set<String> record(String node, Map<String, NodeStatus> vips, Instant at, boolean initial) {
        Map<String, Received> before = byNode.getOrDefault(node, Map.of());
        Map<String, Received> after = new TreeMap<>();
        Set<String> changed = new TreeSet<>();
        (vips == null ? Map.<String, NodeStatus>of() : vips).forEach((vip, status) -> {
            if (status == null) {
                return;
            }
            Received previous = before.get(vip);
            NodeStatus view = NodeEntryView.of(status);
            boolean sameState = previous != null && previous.status().state == status.state;
            Instant since = sameState ? previous.stateSince() : at;
            after.put(vip, new Received(view, since, at, sameState ? previous.initial() : initial, status.lastUpdate));
            if (previous == null || !NodeEntryView.same(previous.status(), view)) {
                changed.add(vip);
            }
        });
        before.keySet().stream().filter(vip -> !after.containsKey(vip)).forEach(changed::add);
        byNode.put(node, after);
        return changed;
    }

    /** The node's report is gone; returns the VirtualIPs it had entries for. */
    synchronized Set<String> forget(String node) {
        Map<String, Received> removed = byNode.remove(node);
        return removed == null ? Set.of() : new TreeSet<>(removed.keySet());
    }

    /** Every node's entry for a VirtualIP, by node name. */
    synchronized Map<String, Received> entriesFor(String vip) {
        Map<String, Received> entries = new TreeMap<>();
        byNode.forEach((node, vips) -> {
            Received entry = vips.get(vip);
            if (entry != null) {
                entries.put(node, entry);
            }
        });
        return entries;
    }

    /** The node's reported address on the VIP's network, if it reported one. */
    synchronized String address(String node, String vip) {
        Received entry = byNode.getOrDefault(node, Map.of()).get(vip);
        return entry == null ? null : entry.status().address;
    }

    @Override
    public synchronized String toString() {
        return "NodeReportLedger" + byNode.keySet();
    }

}
