package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** What the user asks for. Every field is validated again by the operator, which names the field and value it rejects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The API server checks a set's uniqueness in linear time; the CEL rule it replaces was quadratic and over budget.
@SchemaCustomizer(value = SetListType.class, input = "preferredNodes")
public class VirtualIPSpec {

    @Required
    @Size(max = Ipv4Cidr.MAX_CIDR_LENGTH)
    @JsonPropertyDescription("The floating IPv4 address with its prefix length, e.g. 192.168.10.1/24. The prefix must be 8-32 and the"
            + " address may be neither the network nor the broadcast address of that subnet. IPv6 is not supported yet.")
    // CEL rather than `pattern`: its message names the field and gives an example instead of echoing the regex
    @ValidationRule(value = "self.matches('" + Ipv4Cidr.CEL_PATTERN + "')",
            message = "address must be an IPv4 address with a prefix length 8-32, e.g. 192.168.10.1/24 (IPv6 is not supported yet)")
    public String address;

    @JsonProperty("interface")
    @JsonPropertyDescription("The node interface that carries the address. Default: on each node, the interface whose subnet contains the address.")
    @Size(min = 1, max = 15)
    // CEL rather than `pattern` for the readable message; maxLength keeps it cheap
    @ValidationRule(value = "!self.matches('[/\\\\s]')", message = "interface must not contain '/' or whitespace")
    public String interfaceName;

    @JsonPropertyDescription("CARP virtual host id, 1-255, unique among the VirtualIPs that may share a link with this one (nodes in common"
            + " and the same or an auto-detected interface). Default: the operator allocates the lowest id free there and records it in"
            + " status.vhid; it never changes afterwards.")
    @Min(1)
    @Max(255)
    public Integer vhid;

    @JsonPropertyDescription("Label selector of the nodes that take part. Default: all nodes.")
    public LabelSelector nodeSelector;

    @JsonPropertyDescription("Ordered node names, each at most once; earlier nodes get a lower CARP advskew and so are the preferred master. Default: none (equal skew).")
    @Size(max = SpecValidator.MAX_PREFERRED_NODES)
    public List<@Size(min = 1, max = SpecValidator.MAX_NAME_LENGTH) String> preferredNodes;

    @JsonPropertyDescription("Take the address back when a more preferred node returns (ucarp -P). Default: false.")
    public Boolean preempt;

    @JsonPropertyDescription("CARP advertisement timing.")
    public AdvertisementSpec advertisement;

    @Required
    @JsonPropertyDescription("Secret in the operator's namespace holding the CARP password (at most 19 bytes). There is no built-in password.")
    public SecretKeyRef passwordSecretRef;

    @JsonPropertyDescription("The isolation watchdog, which withdraws the address from a node that is up but cut off from its network.")
    public IsolationSpec isolation;

    @JsonPropertyDescription("Gratuitous ARP announcements while master.")
    public GratuitousArpSpec gratuitousArp;

    /** What the stored spec held that this version could not read (see {@link TolerantJson}); the validator reports it. */
    @JsonIgnore
    public List<UnreadValue> unread = List.of();
}
