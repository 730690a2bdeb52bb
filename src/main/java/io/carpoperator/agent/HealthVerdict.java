package io.carpoperator.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@code /healthz} or {@code /readyz}: fine, or every reason it is not, one line each, so the probe's
 * body (kubectl describe pod shows it) names the check that failed.
 */
public record HealthVerdict(List<String> problems) {
    public static final HealthVerdict FINE = new HealthVerdict(List.of());

    public HealthVerdict {
        problems = List.copyOf(problems);
    }

    public static HealthVerdict of(Optional<String> problem) {
        return problem.map(p -> new HealthVerdict(List.of(p))).orElse(FINE);
    }

    public boolean fine() {
        return problems.isEmpty();
    }

    /** Both verdicts' problems. */
    public HealthVerdict and(HealthVerdict other) {
        if (other.fine()) {
            return this;
        }
        List<String> all = new ArrayList<>(problems);
        all.addAll(other.problems);
        return new HealthVerdict(all);
    }
}
