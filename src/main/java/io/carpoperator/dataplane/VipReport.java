package io.carpoperator.dataplane;

import io.carpoperator.api.NodeState;
import io.carpoperator.watchdog.ProbeRound;
import java.time.Instant;
import java.util.List;

/**
 * What one VIP's data plane says about itself on this node; the cluster agent puts it into its NodeReport.
 *
 * @param state          INIT, BACKUP, MASTER, ISOLATED or FAILED
 * @param since          when it entered that state
 * @param reason         why, in one line
 * @param address        this node's own address on the VIP interface (others probe it as a peer), or null if unknown
 * @param lastRound      the latest probe round, or null before the first
 * @param ucarpRestarts  how often ucarp was restarted
 * @param conflicts      what the wire shows of other speakers competing for this VIP; empty when none
 */
public record VipReport(NodeState state, Instant since, String reason, String address, ProbeRound lastRound, int ucarpRestarts,
        List<WireConflict> conflicts) {

    public VipReport {
        conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }
}
