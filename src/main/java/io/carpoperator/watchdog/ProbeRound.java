package io.carpoperator.watchdog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** All probe results of one watchdog period. */
public record ProbeRound(Instant at, List<ProbeResult> results) {

    public ProbeRound {
        Objects.requireNonNull(at, "at");
        results = List.copyOf(results);
    }

    public boolean peerAnswered() {
        return answered(TargetRole.PEER);
    }

    public boolean heartbeatAnswered() {
        return answered(TargetRole.HEARTBEAT);
    }

    public boolean isolationHostAnswered() {
        return answered(TargetRole.ISOLATION_HOST);
    }

    public boolean hasPeers() {
        return has(TargetRole.PEER);
    }

    public boolean hasHeartbeats() {
        return has(TargetRole.HEARTBEAT);
    }

    public boolean hasIsolationHosts() {
        return has(TargetRole.ISOLATION_HOST);
    }

    public List<ProbeResult> resultsFor(TargetRole role) {
        return results.stream().filter(r -> r.target().role() == role).toList();
    }

    /**
     * One line for logs and status, e.g. "peer 198.51.100.12 unreachable, isolation host 198.51.100.1
     * unreachable, heartbeat 203.0.113.12 ok".
     */
    public String summary() {
        if (results.isEmpty()) {
            return "no probe targets";
        }
        StringBuilder line = new StringBuilder();
        for (TargetRole role : SUMMARY_ORDER) {
            for (ProbeResult result : resultsFor(role)) {
                if (line.length() > 0) {
                    line.append(", ");
                }
                line.append(result.target()).append(result.ok() ? " ok" : " unreachable");
            }
        }
        return line.toString();
    }

    private static final List<TargetRole> SUMMARY_ORDER =
            List.of(TargetRole.PEER, TargetRole.ISOLATION_HOST, TargetRole.HEARTBEAT);

    private boolean answered(TargetRole role) {
        return results.stream().anyMatch(r -> r.target().role() == role && r.ok());
    }

    private boolean has(TargetRole role) {
        return results.stream().anyMatch(r -> r.target().role() == role);
    }
}
