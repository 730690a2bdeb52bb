package io.carpoperator.agent;

import io.carpoperator.api.NodeState;
import io.carpoperator.dataplane.VipReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /readyz}: the agent is ready when what runs reflects the cluster and every VIP on this node has settled, so a
 * rolling update waits for this node to be a backup again before it stops the next one. Settled means MASTER or BACKUP,
 * or ISOLATED or FAILED on purpose, with a reason: waiting for those would hold up a rollout forever.
 */
final class Readiness {

    private Readiness() {
    }

    /**
     * @param configsApplied the running set was brought in line with complete caches at least once (else it may be empty
     *                       only because nothing was started yet)
     * @param reports        the latest report of each running VIP by name; null while it has none
     */
    static HealthVerdict of(boolean configsApplied, Map<String, VipReport> reports) {
        List<String> problems = new ArrayList<>();
        if (!configsApplied) {
            problems.add("the VirtualIP configurations of this node are not read and applied yet");
        }
        reports.forEach((vip, report) -> {
            if (report == null) {
                problems.add("VirtualIP " + vip + ": no state yet");
            } else if (report.state() == NodeState.INIT) {
                problems.add("VirtualIP " + vip + ": still INIT (" + report.reason() + ")");
            } else if (!settled(report)) {
                problems.add("VirtualIP " + vip + ": " + report.state() + " without a reason");
            }
        });
        return new HealthVerdict(problems);
    }

    static boolean settled(VipReport report) {
        return switch (report.state()) {
            case MASTER, BACKUP -> true;
            case ISOLATED, FAILED -> report.reason() != null && !report.reason().isBlank();
            case INIT -> false;
        };
    }
}
