package io.carpoperator.operator;

import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ProbeSummary;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.WireConflictReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's entry as the VirtualIP status shows it: everything but what changes on every refresh (the writer's
 * lastUpdate, round-trip times, the probe round's time, a wire conflict's lastSeen and count) — copying those would cost
 * one VirtualIP write per node per refresh, the nodes × VIPs traffic this design removes — and the probe target lists,
 * which name every other node and would make one VirtualIP grow with nodes² (over a megabyte at 200 nodes, past etcd's
 * limit at 500). The NodeReport keeps all of it for whoever wants it.
 *
 * <p>Only current wire conflicts are kept: one last seen more than {@link #CONFLICT_STALE_AFTER} before the node wrote
 * its entry is over (the other speaker went away, or the agent stopped looking), so the conditions built on it clear.
 */
final class NodeEntryView {
    /**
     * How long a wire conflict counts after its last sighting. Judged between two times of the same writer (the
     * conflict's lastSeen and the entry's lastUpdate), so no node's clock is compared with ours. A minute is many
     * advert periods of the usual CARP or VRRP speaker (1 s), so one that keeps talking never drops out between two
     * sightings, and one that stopped clears within a minute plus the agent's refresh interval.
     */
    static final Duration CONFLICT_STALE_AFTER = Duration.ofSeconds(60);

    private static final Comparator<WireConflictReport> CONFLICT_ORDER = Comparator
            .comparing((WireConflictReport c) -> c.kind, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(c -> c.vhid, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(c -> c.sender, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(c -> c.senderMac, Comparator.nullsLast(Comparator.naturalOrder()));

    private NodeEntryView() {
    }

    static NodeStatus of(NodeStatus entry) {
        NodeStatus view = new NodeStatus(entry.state, null);
        view.since = entry.since;
        view.reason = entry.reason;
        view.address = entry.address;
        view.heartbeatAddress = entry.heartbeatAddress;
        view.ucarpRestarts = entry.ucarpRestarts;
        if (entry.probes != null) {
            ProbeSummary probes = new ProbeSummary();
            probes.peer = outcome(entry.probes.peer);
            probes.heartbeat = outcome(entry.probes.heartbeat);
            probes.isolationHost = outcome(entry.probes.isolationHost);
            view.probes = probes;
        }
        view.conflicts = currentConflicts(entry);
        return view;
    }

    static boolean same(NodeStatus a, NodeStatus b) {
        return a.state == b.state && Objects.equals(a.since, b.since) && Objects.equals(a.reason, b.reason)
                && Objects.equals(a.address, b.address) && Objects.equals(a.heartbeatAddress, b.heartbeatAddress)
                && Objects.equals(a.ucarpRestarts, b.ucarpRestarts) && sameProbes(a.probes, b.probes)
                && Objects.equals(conflictKeys(a.conflicts), conflictKeys(b.conflicts));
    }

    /**
     * The entry's conflicts still current by its writer's clock, in a stable order (the agent orders them by recency,
     * which would rewrite the view whenever two alternate), or null when none. A conflict whose times cannot be read
     * counts as current: the entry's own freshness still bounds it.
     */
    private static List<WireConflictReport> currentConflicts(NodeStatus entry) {
        if (entry.conflicts == null) {
            return null;
        }
        Optional<Instant> written = Timestamps.parse(entry.lastUpdate);
        List<WireConflictReport> current = entry.conflicts.stream()
                .filter(Objects::nonNull)
                .filter(c -> written.isEmpty() || Timestamps.parse(c.lastSeen)
                        .map(seen -> !seen.plus(CONFLICT_STALE_AFTER).isBefore(written.get())).orElse(true))
                .map(NodeEntryView::conflict)
                .sorted(CONFLICT_ORDER)
                .toList();
        return current.isEmpty() ? null : current;
    }

    private static WireConflictReport conflict(WireConflictReport conflict) {
        WireConflictReport view = new WireConflictReport();
        view.kind = conflict.kind;
        view.vhid = conflict.vhid;
        view.sender = conflict.sender;
        view.senderMac = conflict.senderMac;
        view.message = conflict.message;
        view.firstSeen = conflict.firstSeen;
        return view;
    }

    private static List<String> conflictKeys(List<WireConflictReport> conflicts) {
        return conflicts == null ? List.of() : conflicts.stream()
                .map(c -> c.kind + "/" + c.vhid + "/" + c.sender + "/" + c.senderMac + "/" + c.firstSeen + "/" + c.message).toList();
    }

    private static boolean sameProbes(ProbeSummary a, ProbeSummary b) {
        if (a == null || b == null) {
            return a == b;
        }
        return sameOutcome(a.peer, b.peer) && sameOutcome(a.heartbeat, b.heartbeat) && sameOutcome(a.isolationHost, b.isolationHost);
    }

    private static boolean sameOutcome(ProbeSummary.ProbeOutcome a, ProbeSummary.ProbeOutcome b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.result, b.result);
    }

    private static ProbeSummary.ProbeOutcome outcome(ProbeSummary.ProbeOutcome outcome) {
        return outcome == null ? null : new ProbeSummary.ProbeOutcome(outcome.result, null, null);
    }
}
