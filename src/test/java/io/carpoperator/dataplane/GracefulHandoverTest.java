package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GracefulHandoverTest {

    @Test
    void helperAdvertisesWorseTimingThanAnyBackupWithPreemptAndBeyondTheDeadRatioWithout() {
        assertThat(GracefulHandover.helperAdvbase(1, true)).isEqualTo(1);
        assertThat(GracefulHandover.helperAdvbase(1, false)).isEqualTo(3);
        assertThat(GracefulHandover.helperAdvbase(100, false)).isEqualTo(255);
        assertThat(GracefulHandover.HELPER_SKEW).isEqualTo(255);
    }

    @Test
    void waitsAtMostThreeHelperPeriodsAndSkipsTheHelperWhenThatIsTooSlow() {
        assertThat(GracefulHandover.fireDeadline(1, true)).isEqualTo(Duration.ofMillis(3 * 1996 + 1000));
        assertThat(GracefulHandover.fireDeadline(1, false)).isEqualTo(Duration.ofMillis(3 * 3996 + 1000));
        assertThat(GracefulHandover.feasible(2, false)).isTrue();
        assertThat(GracefulHandover.feasible(3, false)).isFalse();
        assertThat(GracefulHandover.feasible(5, true)).isTrue();
    }

    @Test
    void hooksFreezeTheMasterAndReleaseTheAddress() {
        assertThat(GracefulHandover.upScript(4242)).contains("kill -STOP 4242").doesNotContain("ip addr");
        assertThat(GracefulHandover.downScript("198.51.100.10", 24)).contains("ip addr del 198.51.100.10/24 dev \"$1\"");
    }
}
