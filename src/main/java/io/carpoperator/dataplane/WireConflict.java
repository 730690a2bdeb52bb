package io.carpoperator.dataplane;

import java.time.Instant;
import java.util.Objects;

/**
 * Evidence on the wire that another speaker competes for one of our VIPs on this node, whatever the ucarp states say.
 * One record per kind and other speaker; {@code lastSeen} and {@code count} advance with every sighting, the rest stays,
 * so {@code detail} carries nothing that changes per sighting.
 *
 * @param kind      what was seen
 * @param vhid      the VHID of the VIP it concerns
 * @param sender    the foreign advert's sender IPv4 address (FOREIGN_ADVERT), or null
 * @param senderMac the other owner's MAC address (DUPLICATE_OWNER), or null
 * @param detail    what was seen, in one line
 * @param firstSeen the first sighting
 * @param lastSeen  the latest sighting
 * @param count     sightings so far
 */
public record WireConflict(Kind kind, int vhid, String sender, String senderMac, String detail, Instant firstSeen, Instant lastSeen,
        long count) {

    public enum Kind {
        /** CARP adverts for our VHID on our link that do not authenticate with our password and address. */
        FOREIGN_ADVERT,
        /** While this node is MASTER, another MAC answers ARP for the virtual address. */
        DUPLICATE_OWNER
    }

    public WireConflict {
        Objects.requireNonNull(kind, "kind");
    }
}
