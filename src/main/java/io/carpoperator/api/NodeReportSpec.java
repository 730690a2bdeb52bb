package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.TreeMap;

/** What a node's agent reports: its entry for each VirtualIP it runs, by VirtualIP name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeReportSpec {
    @JsonPropertyDescription("This node's entry per VirtualIP it runs, by VirtualIP name.")
    public Map<String, NodeStatus> vips = new TreeMap<>();

    @JsonPropertyDescription("When the agent last wrote this report, by its own clock (informational: the operator"
            + " judges freshness by when it received the report).")
    public String lastUpdate;
}
