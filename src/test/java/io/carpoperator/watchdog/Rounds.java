package io.carpoperator.watchdog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds probe rounds for tests from "ok" / "fail" / "-" (not configured) per role. */
final class Rounds {

    static final String PEER = "198.51.100.12";
    static final String HEARTBEAT = "203.0.113.12";
    static final String ISOLATION_HOST = "198.51.100.1";

    private Rounds() {
    }

    static ProbeRound round(String peer, String heartbeat, String isolationHost) {
        List<ProbeResult> results = new ArrayList<>();
        add(results, TargetRole.PEER, PEER, peer);
        add(results, TargetRole.HEARTBEAT, HEARTBEAT, heartbeat);
        add(results, TargetRole.ISOLATION_HOST, ISOLATION_HOST, isolationHost);
        return new ProbeRound(Instant.parse("2026-01-01T00:00:00Z"), results);
    }

    /** Peer and isolation host unreachable, heartbeat alive: the seed's isolation case. */
    static ProbeRound isolated() {
        return round("fail", "ok", "fail");
    }

    static ProbeRound allAnswer() {
        return round("ok", "ok", "ok");
    }

    private static void add(List<ProbeResult> results, TargetRole role, String address, String outcome) {
        ProbeTarget target = ProbeTarget.icmp(role, address);
        switch (outcome) {
            case "ok" -> results.add(ProbeResult.answered(target, Duration.ofMillis(1)));
            case "fail" -> results.add(ProbeResult.failed(target, "exit 1: no reply"));
            case "-" -> {
            }
            default -> throw new IllegalArgumentException("outcome must be ok, fail or -, got " + outcome);
        }
    }
}
