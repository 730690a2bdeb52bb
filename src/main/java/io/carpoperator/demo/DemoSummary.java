package io.carpoperator.demo;

import java.util.List;

/** The table the demo ends with: one row per step, its figure against its bound, ok or FAILED. */
final class DemoSummary {
    private DemoSummary() {
    }

    static List<String> lines(List<StepResult> results) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format("%-10s %-8s %-32s %-9s %s", "STEP", "REACHED", "MEASURED", "BOUND", "RESULT"));
        for (StepResult result : results) {
            lines.add(String.format("%-10s %-8s %-32s %-9s %s", result.step(), result.reached() ? "yes" : "no", result.measuredText(),
                    "<= " + StepResult.seconds(result.bound()).replace(".00 s", " s"), result.passed() ? "ok" : "FAILED"));
        }
        return lines;
    }

    static boolean allPassed(List<StepResult> results) {
        return !results.isEmpty() && results.stream().allMatch(StepResult::passed);
    }
}
