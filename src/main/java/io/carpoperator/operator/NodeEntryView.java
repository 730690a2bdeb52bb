package io.carpoperator.operator;

import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.ProbeSummary;
import java.util.Objects;

/**
 * A node's entry as the VirtualIP status shows it: everything but what changes on every refresh (the writer's
 * lastUpdate, round-trip times, the probe round's time) — copying those would cost one VirtualIP write per node per
 * refresh, the nodes × VIPs traffic this design removes — and the probe target lists, which name every other node and
 * would make one VirtualIP grow with nodes² (over a megabyte at 200 nodes, past etcd's limit at 500). The NodeReport
 * keeps all of it for whoever wants it.
 */
final class NodeEntryView {

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
        return view;
    }

    static boolean same(NodeStatus a, NodeStatus b) {
        return a.state == b.state && Objects.equals(a.since, b.since) && Objects.equals(a.reason, b.reason)
                && Objects.equals(a.address, b.address) && Objects.equals(a.heartbeatAddress, b.heartbeatAddress)
                && Objects.equals(a.ucarpRestarts, b.ucarpRestarts) && sameProbes(a.probes, b.probes);
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
