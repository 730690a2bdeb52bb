package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Each host and probe kind at most once, checked by the API server as a set (linear, no CEL cost).
@SchemaCustomizer(value = SetListType.class, input = "hosts,probes")
public class IsolationSpec {
    public static final int DEFAULT_PROBE_INTERVAL_MILLIS = 1000;
    public static final int MIN_PROBE_INTERVAL_MILLIS = 100;
    public static final int DEFAULT_HOLD_LIMIT = 2;
    public static final int DEFAULT_RECOVER_AFTER = 2;

    @JsonPropertyDescription("Run the isolation watchdog. Default: true.")
    public Boolean enabled;

    @JsonPropertyDescription("IPv4 addresses of isolation hosts (the seed's HOST), each at most once: if neither these nor any peer answer while a heartbeat"
            + " does, the node is isolated. Default: the node's default gateway on the VIP interface.")
    @Size(max = SpecValidator.MAX_ISOLATION_HOSTS)
    // CEL rather than an items `pattern` for the readable message; maxItems and the items' maxLength bound its cost
    @ValidationRule(value = "self.all(h, h.matches('" + Ipv4Cidr.CEL_ADDRESS_PATTERN + "'))",
            message = "isolation.hosts must be IPv4 addresses")
    public List<@Size(max = Ipv4Cidr.MAX_ADDRESS_LENGTH) String> hosts;

    @JsonPropertyDescription("Milliseconds between probe rounds, at least 100. Default: 1000.")
    @Min(MIN_PROBE_INTERVAL_MILLIS)
    @Max(600000)
    public Integer probeIntervalMillis;

    @JsonPropertyDescription("Consecutive isolated verdicts before the address is withdrawn, at least 1. Default: 2 (as in the seed).")
    @Min(1)
    @Max(100)
    public Integer holdLimit;

    @JsonPropertyDescription("Consecutive healthy verdicts (a peer or an isolation host answers) before the node takes part again, at least 1. Default: 2.")
    @Min(1)
    @Max(100)
    public Integer recoverAfter;

    @JsonPropertyDescription("Probe kinds to use: ICMP, ARP or both, each at most once. Default: both.")
    @Size(min = 1, max = 2)
    public List<ProbeType> probes;
}
