package io.carpoperator.demo;

import java.time.Duration;
import java.util.Optional;

/**
 * One step's outcome: whether the expected state was reached, and the figure that matters for it against its bound.
 *
 * @param measure what {@code measured} is, e.g. "client outage" or "withdrawn after"
 * @param measured empty when the step never got that far
 */
record StepResult(String step, String expectation, boolean reached, String measure, Optional<Duration> measured, Duration bound,
        String note) {

    static StepResult of(DemoStep step, boolean reached, Optional<Duration> measured, String note) {
        return new StepResult(step.name(), step.expectation(), reached, step.measure(), measured, step.bound(), note);
    }

    boolean withinBound() {
        return measured.map(m -> m.compareTo(bound) <= 0).orElse(false);
    }

    boolean passed() {
        return reached && withinBound();
    }

    String measuredText() {
        return measure + " " + measured.map(StepResult::seconds).orElse("-");
    }

    static String seconds(Duration duration) {
        return String.format("%.2f s", duration.toMillis() / 1000.0);
    }
}
