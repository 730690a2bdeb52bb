package io.carpoperator.dataplane;

import java.util.List;

/** One VIP on this node: a supervised ucarp, its isolation watchdog and gratuitous ARP, without any Kubernetes. */
public interface VipDataPlane {

    /** Peers and heartbeat targets change as other nodes report; the watchdog picks them up without restarting ucarp. */
    void updateTargets(List<String> peers, List<String> heartbeats);

    VipReport report();

    /**
     * Stops taking part and makes sure the address is gone from this node. With {@code handOver} a master first
     * demotes itself so a backup takes over at once (graceful shutdown); without it, it just stops (deleted VIP).
     * Blocks until done.
     */
    void stop(boolean handOver);
}
