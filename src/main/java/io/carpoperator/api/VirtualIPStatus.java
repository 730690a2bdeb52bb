package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two writers share this status: the operator owns every field but {@code nodes}; each agent owns exactly
 * {@code nodes.<its node>} and writes it with a JSON merge patch, so neither clobbers the other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualIPStatus {
    @JsonPropertyDescription("The metadata.generation the operator last acted on.")
    public Long observedGeneration;

    @JsonPropertyDescription("The CARP virtual host id in use (explicit or allocated).")
    public Integer vhid;

    @JsonPropertyDescription("The node that holds the address now, or empty.")
    public String master;

    @JsonPropertyDescription("Pending, Ready, Degraded, SplitBrain or Invalid.")
    public Phase phase;

    @JsonPropertyDescription("Ready, Degraded, SplitBrain, Isolated, VhidConflict and Valid, each with reason, message and"
            + " lastTransitionTime.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The last valid configuration, resolved by the operator (defaults, VHID, per-node advskew). Agents act on"
            + " this block only, never on the raw spec, so an invalid edit leaves them running the last valid one.")
    public ResolvedConfig resolved;

    @JsonPropertyDescription("Per-node state, each entry written only by that node's agent.")
    public Map<String, NodeStatus> nodes = new TreeMap<>();

    /** What the stored status held that this version could not read (see {@link TolerantJson}). */
    @JsonIgnore
    public List<UnreadValue> unread = List.of();
}
