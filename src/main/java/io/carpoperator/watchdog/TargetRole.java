package io.carpoperator.watchdog;

/** What a probe target tells the watchdog; the seed calls them EXTERNAL, INTERNAL and HOST. */
public enum TargetRole {
    /** Another node's address on the VIP network. */
    PEER("peer"),
    /** A peer reached over another path than the VIP network: proves the peer, and we, are alive. */
    HEARTBEAT("heartbeat"),
    /** Any host on the VIP network that should always answer, typically the default gateway. */
    ISOLATION_HOST("isolation host");

    private final String label;

    TargetRole(String label) {
        this.label = label;
    }

    /** The human name used in log lines and reasons. */
    public String label() {
        return label;
    }
}
