package io.carpoperator.api;

/** How the watchdog asks whether a target is reachable. */
public enum ProbeType {
    ICMP,
    ARP
}
