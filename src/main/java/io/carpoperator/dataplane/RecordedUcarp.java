package io.carpoperator.dataplane;

/**
 * A ucarp this agent started, as the node-state journal keeps it until the process exits.
 *
 * @param pid       its process id
 * @param startTime field 22 of its {@code /proc/PID/stat}, so a reused pid is never taken for it
 * @param label     which VIP it served, e.g. "vip web 198.51.100.10 vhid 7"
 */
public record RecordedUcarp(long pid, long startTime, String label) {
}
