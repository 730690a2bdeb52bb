package io.carpoperator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.api.VirtualIP;
import io.carpoperator.lab.LabTopology;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's options, step plan, summary and sample translation: everything that needs no lab. */
class DemoPlanTest {
    private final DemoSteps steps = new DemoSteps();

    @Test
    void everyStepRunsInTheIssuesOrder() {
        assertThat(steps.names()).containsExactly("election", "kill", "link", "isolation", "recovery", "handover", "invalid");
        assertThat(steps.plan(Optional.empty())).extracting(DemoStep::name).containsExactlyElementsOf(steps.names());
    }

    @Test
    void oneScenarioRunsAfterWhatItNeeds() {
        assertThat(steps.plan(Optional.of("kill"))).extracting(DemoStep::name).containsExactly("election", "kill");
        assertThat(steps.plan(Optional.of("recovery"))).extracting(DemoStep::name).containsExactly("election", "isolation", "recovery");
        assertThat(steps.plan(Optional.of("election"))).extracting(DemoStep::name).containsExactly("election");
    }

    @Test
    void boundsAreTheIssues() {
        assertThat(bound("kill")).isEqualTo(Duration.ofSeconds(4));
        assertThat(bound("link")).isEqualTo(Duration.ofSeconds(4));
        assertThat(bound("isolation")).isEqualTo(Duration.ofSeconds(3));
        assertThat(bound("handover")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void optionsParseAndBadOnesNameWhatIsWrong() {
        assertThat(DemoOptions.parse(List.of(), steps.names())).isEqualTo(new DemoOptions(false, Optional.empty(), false));
        assertThat(DemoOptions.parse(List.of("--scenario", "kill", "--hold"), steps.names()))
                .isEqualTo(new DemoOptions(true, Optional.of("kill"), false));
        assertThat(DemoOptions.parse(List.of("--scenario=link"), steps.names()).scenario()).contains("link");
        assertThat(DemoOptions.parse(List.of("--help"), steps.names()).help()).isTrue();
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--scenario", "kil"), steps.names()))
                .hasMessage("unknown scenario 'kil'; one of: election, kill, link, isolation, recovery, handover, invalid");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--scenario"), steps.names())).hasMessageStartingWith("--scenario needs a name");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--fast"), steps.names())).hasMessage("unknown option '--fast'");
    }

    @Test
    void summaryMarksAStepOutsideItsBoundOrNotReachedAsFailed() {
        DemoStep kill = steps.plan(Optional.of("kill")).get(1);
        var ok = StepResult.of(kill, true, Optional.of(Duration.ofMillis(2280)), "");
        var slow = StepResult.of(kill, true, Optional.of(Duration.ofMillis(4100)), "");
        var missed = StepResult.of(kill, false, Optional.of(Duration.ofMillis(100)), "");
        var never = StepResult.of(kill, true, Optional.empty(), "");

        List<String> lines = DemoSummary.lines(List.of(ok, slow, missed, never));

        assertThat(lines.get(1)).matches("kill\\s+yes\\s+client outage 2\\.28 s\\s+<= 4 s\\s+ok");
        assertThat(lines.get(2)).endsWith("FAILED");
        assertThat(lines.get(3)).matches("kill\\s+no\\s+.*FAILED");
        assertThat(lines.get(4)).matches("kill\\s+yes\\s+client outage -\\s+.*FAILED");
        assertThat(DemoSummary.allPassed(List.of(ok))).isTrue();
        assertThat(DemoSummary.allPassed(List.of(ok, slow))).isFalse();
        assertThat(DemoSummary.allPassed(List.of())).isFalse();
        assertThat(DemoIT.summary("SUMMARY x\n  " + lines.get(0) + "\n  " + lines.get(1)).get("kill").seconds()).isEqualTo(2.28);
    }

    @Test
    void theSeedSampleMovesIntoTheLabAndKeepsItsTimers() {
        VirtualIP vip = DemoSample.forLab(List.of());

        assertThat(vip.getMetadata().getName()).isEqualTo("carp99");
        assertThat(vip.getSpec().address).isEqualTo(LabTopology.SUGGESTED_VIP + "/24");
        assertThat(vip.getSpec().interfaceName).isEqualTo(LabTopology.VIP_INTERFACE);
        assertThat(vip.getSpec().isolation.hosts).containsExactly(LabTopology.GATEWAY_ADDRESS);
        assertThat(vip.getSpec().vhid).isEqualTo(99);
        assertThat(vip.getSpec().preempt).isTrue();
        assertThat(vip.getSpec().isolation.probeIntervalMillis).isEqualTo(1000);
        assertThat(vip.getSpec().isolation.holdLimit).isEqualTo(2);
    }

    private Duration bound(String name) {
        return steps.plan(Optional.of(name)).get(1).bound();
    }
}
