package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last probe round of a node's isolation watchdog, one line per target role. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProbeSummary {
    @JsonPropertyDescription("Peers on the VIP network (the seed's EXTERNAL).")
    public ProbeOutcome peer;

    @JsonPropertyDescription("Peers over another path (the seed's INTERNAL).")
    public ProbeOutcome heartbeat;

    @JsonPropertyDescription("Isolation hosts (the seed's HOST).")
    public ProbeOutcome isolationHost;

    @JsonPropertyDescription("When the round ran.")
    public String at;

    /** Any target of the role answered, and how fast the quickest did. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ProbeOutcome {
        @JsonPropertyDescription("ok or fail")
        public String result;

        @JsonPropertyDescription("Round-trip time of the fastest answer in milliseconds.")
        public Double rttMillis;

        @JsonPropertyDescription("The targets probed, comma-separated.")
        public String targets;

        public ProbeOutcome() {
        }

        public ProbeOutcome(String result, Double rttMillis, String targets) {
            this.result = result;
            this.rttMillis = rttMillis;
            this.targets = targets;
        }
    }
}
