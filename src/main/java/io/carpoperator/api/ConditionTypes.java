package io.carpoperator.api;

/** Condition types of a VirtualIP status. */
public final class ConditionTypes {
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";
    public static final String SPLIT_BRAIN = "SplitBrain";
    public static final String ISOLATED = "Isolated";
    public static final String VALID = "Valid";
    /** Another speaker may use this VirtualIP's VHID on its link: seen on the wire, or another VirtualIP holds it too. */
    public static final String VHID_CONFLICT = "VhidConflict";

    private ConditionTypes() {
    }
}
