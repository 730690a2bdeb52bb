package io.carpoperator.watchdog;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one probe. Any error (non-zero exit, timeout, exception) is a failure.
 *
 * @param rtt    the round-trip time when known; null when the probe failed
 * @param detail why it failed, e.g. "exit 2: Network is unreachable" or "timeout after 400ms"; empty when ok
 */
public record ProbeResult(ProbeTarget target, boolean ok, Duration rtt, String detail) {

    public ProbeResult {
        Objects.requireNonNull(target, "target");
        if (!ok) {
            rtt = null;
        }
        detail = detail == null ? "" : detail;
    }

    public static ProbeResult answered(ProbeTarget target, Duration rtt) {
        return new ProbeResult(target, true, rtt, "");
    }

    public static ProbeResult failed(ProbeTarget target, String detail) {
        return new ProbeResult(target, false, null, detail);
    }

    public static ProbeResult timedOut(ProbeTarget target, Duration deadline) {
        return failed(target, "timeout after " + deadline.toMillis() + "ms");
    }
}
