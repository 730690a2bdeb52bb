package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void theNewRowsAreSelectableBySlug() {
        assertThat(Scenario.parse("graceful,graceful-group,graceful-all,ucarp-crash")).containsExactly(
                Scenario.GRACEFUL, Scenario.GRACEFUL_GROUP, Scenario.GRACEFUL_ALL, Scenario.UCARP_CRASH);
    }

    @Test
    void allSelectsEveryScenarioAndTheFootprint() {
        assertThat(Scenario.parse("all")).isEqualTo(EnumSet.allOf(Scenario.class));
        assertThat(Scenario.selectsFootprint("all")).isTrue();
    }

    @Test
    void footprintAloneSelectsNoScenario() {
        assertThat(Scenario.parse("footprint")).isEmpty();
        assertThat(Scenario.selectsFootprint("kill,footprint")).isTrue();
        assertThat(Scenario.selectsFootprint("kill,graceful")).isFalse();
    }

    @Test
    void spacesAroundSlugsAreIgnored() {
        assertThat(Scenario.parse(" kill , link-down")).containsExactly(Scenario.KILL, Scenario.LINK_DOWN);
    }

    @Test
    void anUnknownSlugIsAnErrorNamingThePropertyTheSlugAndTheKnownOnes() {
        assertThatThrownBy(() -> Scenario.parse("graceful,gracefull-group"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bench.scenarios")
                .hasMessageContaining("gracefull-group")
                .hasMessageContaining("graceful-group")
                .hasMessageContaining("ucarp-crash");
    }

    @Test
    void slugsAreDistinct() {
        assertThat(EnumSet.allOf(Scenario.class).stream().map(Scenario::slug).distinct()).hasSize(Scenario.values().length);
    }
}
