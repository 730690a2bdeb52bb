package io.carpoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.dataplane.VipReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadinessTest {

    private static VipReport report(NodeState state, String reason) {
        return new VipReport(state, Instant.EPOCH, reason, "198.51.100.2", null, 0, List.of());
    }

    @ParameterizedTest(name = "{0} with reason ''{1}'' settled: {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "MASTER   | ucarp switched to MASTER        | true",
            "BACKUP   | ucarp switched to BACKUP        | true",
            "BACKUP   | null                            | true",
            "ISOLATED | no peer or gateway answered     | true",
            "FAILED   | data plane did not start: boom  | true",
            "ISOLATED | null                            | false",
            "FAILED   | '  '                            | false",
            "INIT     | starting ucarp                  | false"})
    void aVipHasSettledPastInitOrOnPurposeWithAReason(NodeState state, String reason, boolean settled) {
        assertThat(Readiness.settled(report(state, reason))).isEqualTo(settled);
    }

    @Test
    void readyWhenTheConfigurationsAreAppliedAndEveryVipHasSettled() {
        assertThat(Readiness.of(true, Map.of("web", report(NodeState.BACKUP, "ucarp switched to BACKUP"),
                "db", report(NodeState.FAILED, "ucarp: Unable to find MAC address of [eth9]"))).fine()).isTrue();
        assertThat(Readiness.of(true, Map.of()).fine()).as("no VIP selects this node").isTrue();
    }

    @Test
    void notReadyListsTheVipsStillInInitAndWhetherTheConfigurationsAreApplied() {
        Map<String, VipReport> reports = new HashMap<>();
        reports.put("web", report(NodeState.INIT, "starting ucarp"));
        reports.put("db", report(NodeState.MASTER, "ucarp switched to MASTER"));
        reports.put("dns", null);

        assertThat(Readiness.of(true, reports).problems()).containsExactlyInAnyOrder(
                "VirtualIP web: still INIT (starting ucarp)", "VirtualIP dns: no state yet");
        assertThat(Readiness.of(false, Map.of()).problems())
                .containsExactly("the VirtualIP configurations of this node are not read and applied yet");
    }
    @Test
    void anIsolatedOrFailedVipWithoutAReasonIsNotReadyAndSaysSo() {
        assertThat(Readiness.of(true, Map.of("web", report(NodeState.ISOLATED, null))).problems())
                .containsExactly("VirtualIP web: ISOLATED without a reason");
        assertThat(Readiness.of(false, Map.of("web", report(NodeState.FAILED, " "))).problems()).containsExactly(
                "the VirtualIP configurations of this node are not read and applied yet", "VirtualIP web: FAILED without a reason");
    }
}
