package io.carpoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The body of /healthz and /readyz: fine, or every problem, one per line. */
class HealthVerdictTest {

    @Test
    void noProblemIsFineAndOneProblemIsNot() {
        assertThat(HealthVerdict.of(Optional.empty()).fine()).isTrue();
        assertThat(HealthVerdict.of(Optional.empty()).problems()).isEmpty();
        HealthVerdict broken = HealthVerdict.of(Optional.of("the API server does not answer"));
        assertThat(broken.fine()).isFalse();
        assertThat(broken.problems()).containsExactly("the API server does not answer");
    }

    @Test
    void combiningKeepsEveryProblemInOrder() {
        HealthVerdict first = new HealthVerdict(java.util.List.of("a"));
        HealthVerdict second = new HealthVerdict(java.util.List.of("b", "c"));
        assertThat(first.and(second).problems()).containsExactly("a", "b", "c");
        assertThat(first.and(HealthVerdict.FINE).problems()).containsExactly("a");
        assertThat(HealthVerdict.FINE.and(second).problems()).containsExactly("b", "c");
        assertThat(HealthVerdict.FINE.and(HealthVerdict.FINE).fine()).isTrue();
    }
}
