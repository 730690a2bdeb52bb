package io.carpoperator.api;

/** The one-word summary in `kubectl get vip`. */
public enum Phase {
    /** No agent has reported yet. */
    Pending,
    /** Exactly one node holds the address and every selected node reports in time. */
    Ready,
    /** The address is served with less redundancy than asked, or not served at all. */
    Degraded,
    /** Two or more nodes claim to be master, or another MAC answers for the address while one of ours holds it. */
    SplitBrain,
    /** The spec is rejected; agents keep running the last valid configuration. */
    Invalid
}
