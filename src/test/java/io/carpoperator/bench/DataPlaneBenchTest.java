package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPlaneBenchTest {

    @Test
    void everySystemAndScenarioGetsItsOwnVhidInTheValidRange() {
        List<Integer> vhids = new ArrayList<>();
        for (int system = 0; system < 4; system++) {
            for (Scenario scenario : Scenario.values()) {
                vhids.add(DataPlaneBench.vhid(system, scenario));
            }
        }

        assertThat(vhids).doesNotHaveDuplicates().allMatch(v -> v >= 1 && v <= 255);
    }

    @Test
    void theSummaryHasAnOutageTableForEveryScenarioButIsolationAndTheUcarpCrashFigures() {
        List<String> keys = DataPlaneBench.metrics().stream().map(DataPlaneBench.Metric::key).toList();

        assertThat(keys).containsSubsequence("kill", "link-down", "graceful", "graceful-group", "graceful-all",
                "ucarp-crash", ScenarioRunner.CRASH_RELEASE, ScenarioRunner.CRASH_SINGLE_HOLDER,
                ScenarioRunner.CRASH_TWO_HOLDERS, ScenarioRunner.CRASH_RECLAIM_TWO_HOLDERS, ScenarioRunner.CRASH_POLL_INTERVAL,
                ScenarioRunner.WITHDRAW);
        assertThat(keys).doesNotContain("isolation").doesNotHaveDuplicates();
        assertThat(DataPlaneBench.metrics()).filteredOn(m -> m.key().startsWith("graceful"))
                .allMatch(m -> m.baseline().equals(DataPlaneBench.OUTAGE_BASELINE));
    }

    @Test
    void theKillAndLinkDownBreakdownsFollowTheirOwnOutageTable() {
        List<String> keys = DataPlaneBench.metrics().stream().map(DataPlaneBench.Metric::key).toList();
        List<String> breakdown = List.of("fault-after-advert", "advert-to-master", "hook-start", "master-to-garp",
                "advert-to-garp", "garp-to-reply");

        assertThat(keys.subList(keys.indexOf("kill"), keys.indexOf("kill") + 7))
                .containsExactlyElementsOf(prefixed("kill", breakdown));
        assertThat(keys.subList(keys.indexOf("link-down"), keys.indexOf("link-down") + 7))
                .containsExactlyElementsOf(prefixed("link-down", breakdown));
        assertThat(keys).noneMatch(k -> k.startsWith("graceful-") && breakdown.stream().anyMatch(k::endsWith));
    }

    private static List<String> prefixed(String slug, List<String> suffixes) {
        List<String> keys = new ArrayList<>(List.of(slug));
        suffixes.forEach(suffix -> keys.add(slug + "-" + suffix));
        return keys;
    }
}
