package io.carpoperator.watchdog;

/**
 * The seed's decision table for one probe round.
 *
 * <p>ISOLATED iff no peer answered, no isolation host answered, and a heartbeat answered: the peer is
 * alive (the heartbeat proves it) but we cannot reach it, nor anything else, on the VIP network.
 * Every other combination is HEALTHY; in particular when the heartbeat fails too we cannot tell our own
 * isolation from a dead neighbourhood, so we keep the address, as the seed does.
 *
 * <p>Without heartbeat targets nothing proves that the peer is alive, so an unreachable peer alone proves
 * nothing: it may simply have died, and withdrawing then would leave nobody holding the address. The
 * isolation hosts decide instead: ISOLATED iff at least one isolation host is configured and every
 * isolation host and every peer failed. With no heartbeat and no isolation host: always HEALTHY.
 */
public enum IsolationVerdict {
    ISOLATED,
    HEALTHY;

    public static IsolationVerdict judge(ProbeRound round) {
        if (!round.hasPeers() && !round.hasIsolationHosts()) {
            return HEALTHY;
        }
        if (round.peerAnswered() || round.isolationHostAnswered()) {
            return HEALTHY;
        }
        if (round.hasHeartbeats() && !round.heartbeatAnswered()) {
            return HEALTHY;
        }
        if (!round.hasHeartbeats() && !round.hasIsolationHosts()) {
            return HEALTHY;
        }
        return ISOLATED;
    }

    /**
     * Whether a round shows that the VIP network works again: a peer or an isolation host answered
     * (the seed waited for the peer only and so never recovered when the peer had died meanwhile).
     * With nothing on the VIP network to probe, nothing can hold the node back.
     */
    public static boolean showsVipNetworkReachable(ProbeRound round) {
        if (!round.hasPeers() && !round.hasIsolationHosts()) {
            return true;
        }
        return round.peerAnswered() || round.isolationHostAnswered();
    }
}
