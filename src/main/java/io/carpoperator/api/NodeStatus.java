package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One node's report, written by that node's agent only. Times are RFC 3339 strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeStatus {
    @JsonPropertyDescription("INIT, BACKUP, MASTER, ISOLATED or FAILED.")
    public NodeState state;

    @JsonPropertyDescription("When the node entered this state.")
    public String since;

    @JsonPropertyDescription("Why the node is in this state, in one line.")
    public String reason;

    @JsonPropertyDescription("The node's own IPv4 address on the VIP interface; other agents probe it as a peer.")
    public String address;

    @JsonPropertyDescription("The node's address on another path (e.g. the Node InternalIP), which other agents use as a heartbeat target.")
    public String heartbeatAddress;

    @JsonPropertyDescription("The latest probe results.")
    public ProbeSummary probes;

    @JsonPropertyDescription("How often ucarp was restarted on this node for this address.")
    public Integer ucarpRestarts;

    @JsonPropertyDescription("Other speakers this node sees competing for the address on the wire: at most four, the"
            + " most recently seen; absent when none. A VirtualIP's per-node view holds the current ones only, without"
            + " lastSeen and count.")
    public List<WireConflictReport> conflicts;

    @JsonPropertyDescription("When the agent last wrote this entry; older than the staleness bound means the node is not reporting.")
    public String lastUpdate;

    public NodeStatus() {
    }

    public NodeStatus(NodeState state, String lastUpdate) {
        this.state = state;
        this.lastUpdate = lastUpdate;
    }
}
