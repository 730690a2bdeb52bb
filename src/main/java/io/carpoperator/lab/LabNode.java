package io.carpoperator.lab;

/** A cluster node of the lab: a host on the VIP network that is also on the heartbeat/management network. */
public final class LabNode extends LabHost {

    private final int index;
    private final String heartbeatAddress;
    private final String heartbeatPort;

    LabNode(int index, String namespace, TrackedProcesses processes) {
        super(LabTopology.nodeName(index), namespace, LabTopology.nodeAddress(index),
                LabTopology.vipPort(LabTopology.nodeName(index)), processes);
        this.index = index;
        this.heartbeatAddress = LabTopology.heartbeatAddress(index);
        this.heartbeatPort = LabTopology.heartbeatPort(LabTopology.nodeName(index));
    }

    /** 1-based position, as in {@code node1}. */
    public int index() {
        return index;
    }

    /** Interface on the heartbeat/management network inside the namespace. */
    public String heartbeatInterface() {
        return LabTopology.HEARTBEAT_INTERFACE;
    }

    /** Own address on the heartbeat/management network, without prefix length. */
    public String heartbeatAddress() {
        return heartbeatAddress;
    }

    String heartbeatPort() {
        return heartbeatPort;
    }
}
