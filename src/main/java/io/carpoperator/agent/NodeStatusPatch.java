package io.carpoperator.agent;

import io.carpoperator.dataplane.VipReport;
import io.carpoperator.dataplane.WireConflict;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpoperator.api.NodeReport;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ProbeSummary;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.WireConflictReport;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.TargetRole;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Our NodeReport as a JSON merge patch: {"spec":{"vips":{"<vip>":{...}},"lastUpdate":...}}. Every field of every entry
 * is sent, absent ones as null, and a VIP no longer reported as null, because a merge patch keeps what it does not
 * mention.
 */
public final class NodeStatusPatch {
    static final String OK = "ok";
    static final String FAIL = "fail";
    static final int MAX_NAMED_TARGETS = 8;
    /** Conflicts per entry: enough to name who competes, bounded so a noisy link cannot grow the report. */
    static final int MAX_CONFLICTS = 4;

    private NodeStatusPatch() {
    }

    public static NodeStatus toNodeStatus(VipReport report, String heartbeatAddress, Instant now) {
        NodeStatus status = new NodeStatus(report.state(), Timestamps.formatMillis(now));
        status.since = report.since() == null ? null : Timestamps.formatMillis(report.since());
        status.reason = report.reason();
        status.address = report.address();
        status.heartbeatAddress = heartbeatAddress;
        status.probes = summary(report.lastRound());
        status.ucarpRestarts = report.ucarpRestarts();
        status.conflicts = conflicts(report.conflicts());
        return status;
    }

    /** The most recently seen few, or null when there are none (an entry without conflicts stays as small as before). */
    static List<WireConflictReport> conflicts(List<WireConflict> conflicts) {
        if (conflicts.isEmpty()) {
            return null;
        }
        return conflicts.stream()
                .sorted(Comparator.comparing(WireConflict::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(MAX_CONFLICTS)
                .map(NodeStatusPatch::conflict)
                .toList();
    }

    private static WireConflictReport conflict(WireConflict conflict) {
        WireConflictReport report = new WireConflictReport();
        report.kind = conflict.kind().name();
        report.vhid = conflict.vhid();
        report.sender = conflict.sender();
        report.senderMac = conflict.senderMac();
        report.message = conflict.detail();
        report.firstSeen = conflict.firstSeen() == null ? null : Timestamps.formatMillis(conflict.firstSeen());
        report.lastSeen = conflict.lastSeen() == null ? null : Timestamps.formatMillis(conflict.lastSeen());
        report.count = conflict.count();
        return report;
    }

    /** The last round per role: ok when any target of the role answered, with the fastest answer's round-trip time. */
    public static ProbeSummary summary(ProbeRound round) {
        if (round == null) {
            return null;
        }
        ProbeSummary summary = new ProbeSummary();
        summary.peer = outcome(round.resultsFor(TargetRole.PEER));
        summary.heartbeat = outcome(round.resultsFor(TargetRole.HEARTBEAT));
        summary.isolationHost = outcome(round.resultsFor(TargetRole.ISOLATION_HOST));
        summary.at = Timestamps.formatMillis(round.at());
        return summary;
    }

    private static ProbeSummary.ProbeOutcome outcome(List<ProbeResult> results) {
        if (results.isEmpty()) {
            return null;
        }
        boolean ok = results.stream().anyMatch(ProbeResult::ok);
        Double fastest = results.stream().filter(ProbeResult::ok).map(ProbeResult::rtt).filter(Objects::nonNull)
                .min(Duration::compareTo).map(rtt -> Math.round(rtt.toNanos() / 1_000.0) / 1_000.0).orElse(null);
        List<String> all = results.stream().map(r -> r.target().address()).distinct().toList();
        // named up to a few: a list of every peer would make each node's report grow with the cluster size
        String targets = String.join(",", all.subList(0, Math.min(MAX_NAMED_TARGETS, all.size())))
                + (all.size() > MAX_NAMED_TARGETS ? " (+" + (all.size() - MAX_NAMED_TARGETS) + " more)" : "");
        return new ProbeSummary.ProbeOutcome(ok ? OK : FAIL, fastest, targets);
    }

    /**
     * Two reports whose entries differ only in round-trip times and the round's time: the second need not be written at
     * once, the next refresh carries it. Everything else (state, reason, which probes answer, who competes on the wire)
     * is written right away; a conflict's lastSeen and count advance with every sighting and wait for the refresh too.
     */
    public static boolean sameContent(VipReport a, VipReport b) {
        return a.state() == b.state() && Objects.equals(a.since(), b.since()) && Objects.equals(a.reason(), b.reason())
                && Objects.equals(a.address(), b.address()) && a.ucarpRestarts() == b.ucarpRestarts()
                && Objects.equals(verdicts(a.lastRound()), verdicts(b.lastRound()))
                && Objects.equals(competitors(a.conflicts()), competitors(b.conflicts()));
    }

    private static List<String> competitors(List<WireConflict> conflicts) {
        return conflicts.stream().map(c -> c.kind() + "/" + c.vhid() + "/" + c.sender() + "/" + c.senderMac() + "/" + c.firstSeen())
                .sorted().toList();
    }

    private static String verdicts(ProbeRound round) {
        if (round == null) {
            return null;
        }
        return round.results().stream().map(r -> r.target() + "=" + r.ok()).sorted().collect(Collectors.joining(";"));
    }

    /** The merge patch of our whole report; {@code previouslyWritten} VIPs that are gone are removed with a null. */
    public static String report(Map<String, NodeStatus> entries, Set<String> previouslyWritten, Instant now) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode spec = patch.putObject("spec");
        ObjectNode vips = spec.putObject("vips");
        previouslyWritten.stream().filter(vip -> !entries.containsKey(vip)).forEach(vips::putNull);
        entries.forEach((vip, status) -> vips.set(vip, entry(status)));
        spec.put("lastUpdate", Timestamps.formatMillis(now));
        return patch.toString();
    }

    /** Our report as an object, for the first write (create). */
    public static NodeReport whole(String node, Map<String, NodeStatus> entries, Instant now) {
        NodeReport report = new NodeReport();
        report.getMetadata().setName(node);
        report.getSpec().vips = new TreeMap<>(entries);
        report.getSpec().lastUpdate = Timestamps.formatMillis(now);
        return report;
    }

    static ObjectNode entry(NodeStatus status) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("state", status.state == null ? null : status.state.name());
        entry.put("since", status.since);
        entry.put("reason", status.reason);
        entry.put("address", status.address);
        entry.put("heartbeatAddress", status.heartbeatAddress);
        if (status.probes == null) {
            entry.putNull("probes");
        } else {
            ObjectNode probes = entry.putObject("probes");
            outcome(probes, "peer", status.probes.peer);
            outcome(probes, "heartbeat", status.probes.heartbeat);
            outcome(probes, "isolationHost", status.probes.isolationHost);
            probes.put("at", status.probes.at);
        }
        entry.put("ucarpRestarts", status.ucarpRestarts);
        if (status.conflicts == null) {
            entry.putNull("conflicts");
        } else {
            // a list is replaced whole by a merge patch, so its items carry only the fields they have
            ArrayNode conflicts = entry.putArray("conflicts");
            status.conflicts.forEach(c -> conflicts.add(conflict(c)));
        }
        entry.put("lastUpdate", status.lastUpdate);
        return entry;
    }

    private static ObjectNode conflict(WireConflictReport conflict) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", conflict.kind);
        node.put("vhid", conflict.vhid);
        node.put("sender", conflict.sender);
        node.put("senderMac", conflict.senderMac);
        node.put("message", conflict.message);
        node.put("firstSeen", conflict.firstSeen);
        node.put("lastSeen", conflict.lastSeen);
        node.put("count", conflict.count);
        node.properties().removeIf(field -> field.getValue().isNull());
        return node;
    }

    private static void outcome(ObjectNode probes, String field, ProbeSummary.ProbeOutcome outcome) {
        if (outcome == null) {
            probes.putNull(field);
            return;
        }
        ObjectNode node = probes.putObject(field);
        node.put("result", outcome.result);
        node.put("rttMillis", outcome.rttMillis);
        node.put("targets", outcome.targets);
    }

}
