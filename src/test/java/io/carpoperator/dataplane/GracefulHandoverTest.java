package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;

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
    void waitsAreCutShortSoTheCleanupFitsInTheBudget() {
        long now = System.nanoTime();
        assertThat(GracefulHandover.within(Duration.ofSeconds(7), now + Duration.ofSeconds(60).toNanos()))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(GracefulHandover.within(Duration.ofSeconds(7), now + Duration.ofSeconds(3).toNanos()))
                .isLessThanOrEqualTo(Duration.ofSeconds(3).minus(GracefulHandover.CLEANUP_RESERVE))
                .isGreaterThan(Duration.ofSeconds(2));
        assertThat(GracefulHandover.within(Duration.ofSeconds(7), now - 1)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aHandoverNeedsOneHelperPeriodASecondAndTheCleanup() {
        assertThat(GracefulHandover.minimumBudget(1, true)).isEqualTo(Duration.ofMillis(996 + 1000 + 1000 + 500));
        assertThat(GracefulHandover.minimumBudget(1, false)).isEqualTo(Duration.ofMillis(3996 + 1000 + 500));
    }

    @Test
    void hooksFreezeTheMasterAndReleaseTheAddress() {
        assertThat(GracefulHandover.upScript(OptionalLong.of(4242))).contains("kill -STOP 4242").doesNotContain("ip addr");
        assertThat(GracefulHandover.upScript(OptionalLong.empty())).doesNotContain("kill").doesNotContain("ip addr");
        assertThat(GracefulHandover.downScript("198.51.100.10", 24)).contains("ip addr del 198.51.100.10/24 dev \"$1\"");
    }
}
