package io.carpoperator.api;

/** Machine-readable reasons of conditions and Events; messages carry the details. */
public final class ConditionReasons {
    public static final String SPEC_VALID = "SpecValid";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String MASTER_ELECTED = "MasterElected";
    public static final String NO_MASTER = "NoMaster";
    public static final String AWAITING_AGENTS = "AwaitingAgents";
    public static final String MULTIPLE_MASTERS = "MultipleMasters";
    public static final String SINGLE_MASTER = "SingleMaster";
    public static final String NO_ELIGIBLE_NODES = "NoEligibleNodes";
    public static final String STALE_NODES = "StaleNodes";
    public static final String NODES_UNHEALTHY = "NodesUnhealthy";
    public static final String ALL_NODES_HEALTHY = "AllNodesHealthy";
    public static final String NODES_ISOLATED = "NodesIsolated";
    public static final String NO_NODE_ISOLATED = "NoNodeIsolated";
    public static final String MASTER_CHANGED = "MasterChanged";
    public static final String ADDRESS_RELEASED = "AddressReleased";
    public static final String RELEASE_TIMEOUT = "ReleaseTimedOut";
    /** Degraded: the VHID in use clashes (VhidConflict is True). */
    public static final String VHID_CONFLICT = "VhidConflict";
    /** VhidConflict: a node hears CARP adverts for our VHID that do not authenticate. */
    public static final String FOREIGN_ADVERTISEMENTS = "ForeignAdvertisements";
    /** VhidConflict: another VirtualIP that may share a link holds the same VHID (the allocator's verdict). */
    public static final String VHID_CONTESTED = "VhidContested";
    public static final String NO_CONFLICT = "NoConflict";
    /** SplitBrain: while one of our nodes is MASTER, another MAC answers ARP for the address. */
    public static final String DUPLICATE_ADDRESS_OWNER = "DuplicateAddressOwner";

    private ConditionReasons() {
    }
}
