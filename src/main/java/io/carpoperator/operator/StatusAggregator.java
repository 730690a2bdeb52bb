package io.carpoperator.operator;

import static io.carpoperator.api.ConditionReasons.*;

import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.Phase;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.VirtualIPStatus;
import io.carpoperator.api.WireConflictReport;
import io.carpoperator.operator.NodeReportLedger.Received;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns the agents' node entries, the validation result and the resolved configuration into master, phase and
 * conditions. Pure: the clock and the staleness bound come in as arguments.
 *
 * <p>Wire evidence counts from fresh entries only, and only current conflicts reach an entry ({@link NodeEntryView}):
 * foreign adverts heard by any selected node make VhidConflict (and Degraded) True; another MAC answering for the
 * address counts only from a node that currently holds it, and makes SplitBrain True as two MASTER claims do.
 */
final class StatusAggregator {
    private final Duration staleness;

    StatusAggregator(Duration staleness) {
        this.staleness = staleness;
    }

    /**
     * @param previous   the status as last read (its conditions keep their times)
     * @param problems   validation problems of the current spec; empty when valid
     * @param resolved   the configuration agents run (the new one when valid, the last valid one otherwise), or null
     * @param vhid       the VHID in use, or null
     * @param vhidConflict why the VHID in use may clash with an older VirtualIP's on the same link, or null
     * @param received   the nodes' entries for this VirtualIP with the operator's receive times, by node name
     */
    StatusAggregate aggregate(VirtualIPStatus previous, Long generation, List<FieldProblem> problems, ResolvedConfig resolved,
            Integer vhid, String vhidConflict, Map<String, Received> received, Instant now) {
        Map<String, NodeStatus> nodes = new TreeMap<>();
        received.forEach((name, entry) -> nodes.put(name, entry.status()));
        List<Condition> before = previous == null ? List.of() : previous.conditions;
        List<String> selected = resolved == null ? List.of() : resolved.nodes.stream().map(n -> n.name).toList();

        Map<String, Received> freshEntries = new TreeMap<>();
        received.forEach((name, entry) -> {
            if (isFresh(entry, now)) {
                freshEntries.put(name, entry);
            }
        });
        Map<String, NodeStatus> fresh = new TreeMap<>();
        freshEntries.forEach((name, entry) -> fresh.put(name, entry.status()));
        List<String> masters = currentMasters(freshEntries);
        List<String> stale = selected.stream().filter(n -> !fresh.containsKey(n)).toList();
        Map<String, NodeStatus> isolated = filter(fresh, NodeState.ISOLATED);
        Map<String, NodeStatus> failed = filter(fresh, NodeState.FAILED);
        boolean anyReport = selected.stream().anyMatch(nodes::containsKey);
        String address = resolved == null ? "the address" : resolved.address;
        Map<String, List<WireConflictReport>> foreign = conflicts(fresh, selected, WireConflictReport.FOREIGN_ADVERT);
        Map<String, List<WireConflictReport>> otherOwners = conflicts(fresh, masters, WireConflictReport.DUPLICATE_OWNER);
        String otherOwnersMessage = otherOwners.isEmpty() ? null : describeOtherOwners(otherOwners, address);

        List<Condition> conditions = new ArrayList<>();
        boolean valid = problems.isEmpty();
        conditions.add(Conditions.of(before, ConditionTypes.VALID, valid, valid ? SPEC_VALID : INVALID_SPEC,
                valid ? "the spec is valid" : problems.stream().map(FieldProblem::toString).collect(Collectors.joining("; "))
                        + (resolved != null ? "; agents keep running the last valid configuration (generation " + resolved.generation + ")" : ""),
                generation, now));

        String readyReason;
        String readyMessage;
        if (masters.size() > 1) {
            readyReason = MULTIPLE_MASTERS;
            readyMessage = String.join(", ", masters) + " all claim " + address;
        } else if (masters.size() == 1 && otherOwnersMessage != null) {
            readyReason = DUPLICATE_ADDRESS_OWNER;
            readyMessage = otherOwnersMessage;
        } else if (masters.size() == 1) {
            readyReason = MASTER_ELECTED;
            readyMessage = masters.get(0) + " holds " + address;
        } else if (selected.isEmpty()) {
            readyReason = NO_ELIGIBLE_NODES;
            readyMessage = resolved == null ? "no valid configuration has been resolved yet" : "the nodeSelector matches no node";
        } else if (!anyReport) {
            readyReason = AWAITING_AGENTS;
            readyMessage = "no agent has reported yet for " + String.join(", ", selected);
        } else {
            readyReason = NO_MASTER;
            readyMessage = "no node holds " + address;
        }
        boolean ready = masters.size() == 1 && otherOwnersMessage == null;
        conditions.add(Conditions.of(before, ConditionTypes.READY, ready, readyReason, readyMessage, generation, now));

        String splitBrainReason;
        String splitBrainMessage;
        if (masters.size() > 1) {
            splitBrainReason = MULTIPLE_MASTERS;
            splitBrainMessage = String.join(", ", masters) + " all claim MASTER for " + address
                    + (otherOwnersMessage == null ? "" : "; " + otherOwnersMessage);
        } else if (otherOwnersMessage != null) {
            splitBrainReason = DUPLICATE_ADDRESS_OWNER;
            splitBrainMessage = otherOwnersMessage;
        } else {
            splitBrainReason = SINGLE_MASTER;
            splitBrainMessage = "at most one node claims MASTER";
        }
        boolean splitBrain = !SINGLE_MASTER.equals(splitBrainReason);
        conditions.add(Conditions.of(before, ConditionTypes.SPLIT_BRAIN, splitBrain, splitBrainReason, splitBrainMessage, generation, now));

        conditions.add(Conditions.of(before, ConditionTypes.ISOLATED, !isolated.isEmpty(), isolated.isEmpty() ? NO_NODE_ISOLATED : NODES_ISOLATED,
                isolated.isEmpty() ? "no node is isolated" : describe(isolated), generation, now));

        // the allocator's verdict and what the nodes hear are one condition: both mean another speaker may use our VHID
        String conflictReason = !foreign.isEmpty() ? FOREIGN_ADVERTISEMENTS : vhidConflict != null ? VHID_CONTESTED : NO_CONFLICT;
        String conflictMessage;
        if (!foreign.isEmpty()) {
            conflictMessage = describeForeignAdverts(foreign, vhid) + (vhidConflict == null ? "" : "; " + vhidConflict);
        } else {
            conflictMessage = vhidConflict != null ? vhidConflict
                    : "no node hears another speaker for " + (vhid == null ? "the VHID" : "VHID " + vhid) + " and no other VirtualIP"
                            + " that may share a link holds it";
        }
        boolean conflict = !NO_CONFLICT.equals(conflictReason);
        conditions.add(Conditions.of(before, ConditionTypes.VHID_CONFLICT, conflict, conflictReason, conflictMessage, generation, now));

        String degradedReason = null;
        String degradedMessage = null;
        if (conflict) {
            degradedReason = VHID_CONFLICT;
            degradedMessage = conflictMessage;
        } else if (selected.isEmpty()) {
            degradedReason = NO_ELIGIBLE_NODES;
            degradedMessage = readyMessage;
        } else if (anyReport && masters.isEmpty()) {
            degradedReason = NO_MASTER;
            degradedMessage = readyMessage;
        } else if (anyReport && !stale.isEmpty()) {
            degradedReason = STALE_NODES;
            degradedMessage = "no fresh report (within " + staleness.toSeconds() + "s) from " + String.join(", ", stale);
        } else if (!isolated.isEmpty() || !failed.isEmpty()) {
            Map<String, NodeStatus> unhealthy = new TreeMap<>(isolated);
            unhealthy.putAll(failed);
            degradedReason = NODES_UNHEALTHY;
            degradedMessage = describe(unhealthy);
        }
        boolean degraded = degradedReason != null;
        conditions.add(Conditions.of(before, ConditionTypes.DEGRADED, degraded, degraded ? degradedReason : ALL_NODES_HEALTHY,
                degraded ? degradedMessage : "every selected node reports in time", generation, now));

        Phase phase;
        if (!valid) {
            phase = Phase.Invalid;
        } else if (splitBrain) {
            phase = Phase.SplitBrain;
        } else if (!selected.isEmpty() && !anyReport) {
            phase = Phase.Pending;
        } else if (degraded) {
            phase = Phase.Degraded;
        } else {
            phase = Phase.Ready;
        }
        String master = masters.size() == 1 ? masters.get(0) : "";
        return new StatusAggregate(generation, vhid, master, phase, conditions, resolved, nodes);
    }

    /**
     * Fresh MASTER claims, without the superseded ones: a node that became MASTER after another master's last report
     * has taken over from it (the old master died or was cut off before it could say so). Two claims are a split brain
     * only when each was confirmed after the other began — agents refresh their report every staleness/3, so a real one
     * shows within that time, while an ordinary failover is not mistaken for one. "After" is by the operator's receive
     * times; only between two entries first seen in the operator's initial list, whose arrival order means nothing,
     * the writers' own timestamps decide.
     */
    private static List<String> currentMasters(Map<String, Received> fresh) {
        Map<String, Received> claims = new TreeMap<>();
        fresh.forEach((name, entry) -> {
            if (entry.status().state == NodeState.MASTER) {
                claims.put(name, entry);
            }
        });
        return claims.entrySet().stream()
                .filter(claim -> claims.values().stream().noneMatch(other -> other != claim.getValue()
                        && supersedes(other, claim.getValue())))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static boolean supersedes(Received later, Received earlier) {
        if (later.initial() && earlier.initial()) {
            return isAfter(later.writerSince(), earlier.writerLastUpdate());
        }
        return later.stateSince().isAfter(earlier.lastReceived());
    }

    private static boolean isAfter(String a, String b) {
        var first = Timestamps.parse(a);
        var second = Timestamps.parse(b);
        return first.isPresent() && second.isPresent() && first.get().isAfter(second.get());
    }

    boolean isFresh(Received entry, Instant now) {
        return !entry.lastReceived().plus(staleness).isBefore(now);
    }

    /** The conflicts of one kind that the given nodes report, by node; nodes without any are left out. */
    private static Map<String, List<WireConflictReport>> conflicts(Map<String, NodeStatus> entries, Collection<String> nodes, String kind) {
        Map<String, List<WireConflictReport>> result = new TreeMap<>();
        nodes.forEach(node -> {
            NodeStatus entry = entries.get(node);
            List<WireConflictReport> ofKind = entry == null || entry.conflicts == null ? List.of()
                    : entry.conflicts.stream().filter(c -> kind.equals(c.kind)).toList();
            if (!ofKind.isEmpty()) {
                result.put(node, ofKind);
            }
        });
        return result;
    }

    /** "a, b hear CARP adverts for VHID 7 from 192.0.2.50 that ...", one clause per VHID and sender. */
    private static String describeForeignAdverts(Map<String, List<WireConflictReport>> foreign, Integer vhid) {
        Map<String, Set<String>> heardBy = new TreeMap<>();
        foreign.forEach((node, conflicts) -> conflicts.forEach(c -> heardBy.computeIfAbsent("VHID "
                + (c.vhid != null ? c.vhid : vhid) + " from " + Objects.requireNonNullElse(c.sender, "an unknown sender"),
                k -> new TreeSet<>()).add(node)));
        return heardBy.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + (e.getValue().size() == 1 ? " hears" : " hear") + " CARP adverts for "
                        + e.getKey() + " that do not authenticate with this VirtualIP's password and address")
                .collect(Collectors.joining("; "))
                + ": another CARP speaker uses the VHID on that link; give this VirtualIP another spec.vhid, or the other speaker"
                + " another VHID";
    }

    /** "a holds 198.51.100.10/24 but 02:00:00:00:00:99 also answers ARP for it", one clause per node. */
    private static String describeOtherOwners(Map<String, List<WireConflictReport>> owners, String address) {
        return owners.entrySet().stream()
                .map(e -> {
                    Set<String> macs = e.getValue().stream().map(c -> Objects.requireNonNullElse(c.senderMac, "an unknown MAC"))
                            .collect(Collectors.toCollection(TreeSet::new));
                    return e.getKey() + " holds " + address + " but " + String.join(", ", macs)
                            + (macs.size() == 1 ? " also answers" : " also answer") + " ARP for it";
                })
                .collect(Collectors.joining("; "));
    }

    private static Map<String, NodeStatus> filter(Map<String, NodeStatus> nodes, NodeState state) {
        Map<String, NodeStatus> result = new TreeMap<>();
        nodes.forEach((name, entry) -> {
            if (entry.state == state) {
                result.put(name, entry);
            }
        });
        return result;
    }

    private static String describe(Map<String, NodeStatus> nodes) {
        return nodes.entrySet().stream()
                .map(e -> e.getKey() + " is " + (e.getValue().state == NodeState.ISOLATED ? "isolated" : e.getValue().state.name().toLowerCase())
                        + (e.getValue().reason != null ? " (" + e.getValue().reason + ")" : ""))
                .collect(Collectors.joining("; "));
    }
}
