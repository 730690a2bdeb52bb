package io.carpoperator.watchdog;

/** How a target is probed: an ICMP echo (iputils {@code ping}) or an ARP request (iputils {@code arping}). */
public enum ProbeKind {
    ICMP,
    ARP
}
