/**
 * The room for raw packets on the node's links: one long-lived helper process per node ({@code carp-wire.pl}, kept
 * running by {@link io.carpoperator.wire.WireHelper}, protocol described there) sends ICMP echoes, ARP requests and
 * ARP probes and reports CARP adverts, instead of a ping or arping process per probe. Knows nothing of Kubernetes;
 * {@link io.carpoperator.wire.WireProber} is a {@link io.carpoperator.watchdog.Prober}.
 */
package io.carpoperator.wire;
