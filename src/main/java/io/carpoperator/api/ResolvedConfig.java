package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The configuration agents run: validated, with every default filled in and per-node values computed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ResolvedConfig {
    @JsonPropertyDescription("The metadata.generation this configuration was resolved from.")
    public Long generation;

    @JsonPropertyDescription("The floating address with prefix.")
    public String address;

    @JsonProperty("interface")
    @JsonPropertyDescription("The interface, or empty to let each agent pick the one whose subnet contains the address.")
    public String interfaceName;

    public Integer vhid;
    public Boolean preempt;
    public Integer advertisementIntervalSeconds;
    public SecretKeyRef passwordSecretRef;
    public Boolean isolationEnabled;
    public List<String> isolationHosts;
    public Integer probeIntervalMillis;
    public Integer holdLimit;
    public Integer recoverAfter;
    public List<ProbeType> probes;
    public Integer gratuitousArpIntervalSeconds;

    @JsonPropertyDescription("The selected nodes and the CARP advskew each runs with.")
    public List<ResolvedNode> nodes = new ArrayList<>();

    public java.util.Optional<ResolvedNode> node(String name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ResolvedNode {
        public String name;
        public Integer advskew;

        public ResolvedNode() {
        }

        public ResolvedNode(String name, int advskew) {
            this.name = name;
            this.advskew = advskew;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ResolvedNode other && Objects.equals(name, other.name) && Objects.equals(advskew, other.advskew);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, advskew);
        }
    }

    /** Equal when an agent would run the same thing; the generation does not matter. */
    public boolean sameRuntime(ResolvedConfig other) {
        return other != null && Objects.equals(address, other.address) && Objects.equals(interfaceName, other.interfaceName)
                && Objects.equals(vhid, other.vhid) && Objects.equals(preempt, other.preempt)
                && Objects.equals(advertisementIntervalSeconds, other.advertisementIntervalSeconds)
                && Objects.equals(passwordSecretRef, other.passwordSecretRef) && Objects.equals(isolationEnabled, other.isolationEnabled)
                && Objects.equals(isolationHosts, other.isolationHosts) && Objects.equals(probeIntervalMillis, other.probeIntervalMillis)
                && Objects.equals(holdLimit, other.holdLimit) && Objects.equals(recoverAfter, other.recoverAfter)
                && Objects.equals(probes, other.probes) && Objects.equals(gratuitousArpIntervalSeconds, other.gratuitousArpIntervalSeconds)
                && Objects.equals(nodes, other.nodes);
    }
}
