package io.carpoperator.dataplane;

import java.time.Duration;
import java.util.List;

/** One VIP on this node: a supervised ucarp, its isolation watchdog and gratuitous ARP, without any Kubernetes. */
public interface VipDataPlane {

    /** Peers and heartbeat targets change as other nodes report; the watchdog picks them up without restarting ucarp. */
    void updateTargets(List<String> peers, List<String> heartbeats);

    VipReport report();

    /**
     * Applies settings that leave ucarp's command line as it is ({@link VipSettings#sameUcarpCommandLine}) without a
     * failover: watchdog limits, probes, probe interval, isolation hosts and on/off, gratuitous ARP interval, targets,
     * and the password (a password rotation: ucarp restarts onto it, a backup at once, a master after a bounded grace).
     * Does not block on the grace.
     *
     * @return false when this data plane cannot apply them in place; the caller then restarts it with the settings
     */
    default boolean retune(VipSettings settings) {
        return false;
    }

    /** The longest a stop may take when the caller gives no budget: below a pod's 15 s termination grace period. */
    Duration DEFAULT_STOP_BUDGET = Duration.ofSeconds(10);

    /**
     * Stops taking part and makes sure the address is gone from this node. With {@code handOver} a master first
     * makes a backup take over at once (graceful shutdown); without it, it just stops (deleted VIP). Blocks until
     * done, at most about {@code budget}: whatever the handover still waits for then, ucarp is killed and the address
     * removed.
     */
    void stop(boolean handOver, Duration budget);

    default void stop(boolean handOver) {
        stop(handOver, DEFAULT_STOP_BUDGET);
    }
}
