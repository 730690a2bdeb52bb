package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The watchdog's states as metrics and status name them, with their counters in logs. */
class WatchdogStateTest {

    @Test
    void namesLeaveOutTheCountersAndPrintingKeepsThem() {
        assertThat(WatchdogState.HEALTHY.name()).isEqualTo("HEALTHY");
        assertThat(new WatchdogState.Suspect(2).name()).isEqualTo("SUSPECT");
        assertThat(WatchdogState.ISOLATED.name()).isEqualTo("ISOLATED");
        assertThat(new WatchdogState.Recovering(1).name()).isEqualTo("RECOVERING");
        assertThat(WatchdogState.HEALTHY).hasToString("HEALTHY");
        assertThat(new WatchdogState.Suspect(2)).hasToString("SUSPECT(2)");
        assertThat(WatchdogState.ISOLATED).hasToString("ISOLATED");
        assertThat(new WatchdogState.Recovering(1)).hasToString("RECOVERING(1)");
    }

    @Test
    void oneRoundIsTheLeastASuspectOrRecoveringStateCountsAndZeroIsRefused() {
        assertThat(new WatchdogState.Suspect(1).isolatedRounds()).isEqualTo(1);
        assertThat(new WatchdogState.Recovering(1).reachableRounds()).isEqualTo(1);
        assertThatThrownBy(() -> new WatchdogState.Suspect(0)).hasMessage("isolatedRounds must be >= 1, got 0");
        assertThatThrownBy(() -> new WatchdogState.Recovering(0)).hasMessage("reachableRounds must be >= 1, got 0");
    }

    @Test
    void onlyHealthyAndSuspectTakePartInCarp() {
        assertThat(WatchdogState.HEALTHY.participates()).isTrue();
        assertThat(new WatchdogState.Suspect(1).participates()).isTrue();
        assertThat(WatchdogState.ISOLATED.participates()).isFalse();
        assertThat(new WatchdogState.Recovering(1).participates()).isFalse();
    }
}
