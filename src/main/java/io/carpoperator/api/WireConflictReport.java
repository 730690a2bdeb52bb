package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Another speaker a node sees competing for a VIP on the wire. {@code kind} is a string, not an enum: a kind from a newer
 * agent must not make the whole report unreadable; the operator acts on the kinds it knows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class WireConflictReport {
    public static final String FOREIGN_ADVERT = "FOREIGN_ADVERT";
    public static final String DUPLICATE_OWNER = "DUPLICATE_OWNER";

    @JsonPropertyDescription("FOREIGN_ADVERT (CARP adverts for this VHID on the link that do not authenticate with this"
            + " VirtualIP's password and address) or DUPLICATE_OWNER (while this node is MASTER, another MAC answers ARP for"
            + " the address).")
    public String kind;

    @JsonPropertyDescription("The VHID concerned.")
    public Integer vhid;

    @JsonPropertyDescription("The foreign advert's sender IPv4 address (FOREIGN_ADVERT).")
    public String sender;

    @JsonPropertyDescription("The other owner's MAC address (DUPLICATE_OWNER).")
    public String senderMac;

    @JsonPropertyDescription("What was seen, in one line.")
    public String message;

    @JsonPropertyDescription("The first sighting.")
    public String firstSeen;

    @JsonPropertyDescription("The latest sighting; the operator ignores a conflict last seen over a minute before the"
            + " report was written.")
    public String lastSeen;

    @JsonPropertyDescription("Sightings so far.")
    public Long count;

    public WireConflictReport() {
    }
}
