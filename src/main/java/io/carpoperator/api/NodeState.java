package io.carpoperator.api;

/** A node's part in one VirtualIP, as its agent reports it. */
public enum NodeState {
    INIT,
    BACKUP,
    MASTER,
    /** Withdrawn by the isolation watchdog: the node is up but cut off from the VIP network. */
    ISOLATED,
    /** ucarp cannot run on this node (see reason). */
    FAILED
}
