package io.carpoperator.dataplane;

import java.time.Instant;

/**
 * A VIP whose data plane this agent started, as the node-state journal keeps it: enough to take its address away
 * after a crash and, in a cluster, to serve it again while the API server is unreachable.
 *
 * @param name         the VIP's name
 * @param node         the node it was started on (its selection included that node then)
 * @param recordedAt   when this configuration was first recorded
 * @param address      the address it may configure, without prefix
 * @param prefixLength its prefix length
 * @param settings     the whole configuration, or null when the file's address was readable but the rest was not
 *                     (written by another version): its address is still swept, it is not served again
 */
public record RecordedVip(String name, String node, Instant recordedAt, String address, int prefixLength, VipSettings settings) {
}
