package io.carpoperator.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every sample of every metric and system, in seconds, and the summary table printed for each metric: runs, median,
 * p95, max and the ratio of each system's median to the baseline system's.
 */
final class SampleTable {

    private final Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();

    void add(String metric, String system, double seconds) {
        samples.computeIfAbsent(metric, k -> new LinkedHashMap<>()).computeIfAbsent(system, k -> new ArrayList<>())
                .add(seconds);
    }

    /** Systems in the order their first sample came in, each with its statistics. */
    Map<String, SampleStats> stats(String metric) {
        Map<String, SampleStats> stats = new LinkedHashMap<>();
        samples.getOrDefault(metric, Map.of()).forEach((system, values) -> stats.put(system, SampleStats.of(values)));
        return stats;
    }

    /** The table lines for one metric; the ratio column is empty when the baseline has no samples. */
    List<String> format(String metric, String title, String baselineSystem) {
        Map<String, SampleStats> stats = stats(metric);
        Optional<SampleStats> baseline = Optional.ofNullable(stats.get(baselineSystem));
        List<String> lines = new ArrayList<>();
        lines.add(title);
        lines.add(String.format("  %-28s %5s %9s %9s %9s  %s", "system", "runs", "median", "p95", "max",
                "ratio to " + baselineSystem));
        stats.forEach((system, s) -> {
            String ratio = baseline.filter(b -> b.median() > 0)
                    .map(b -> String.format("%.2f", s.median() / b.median())).orElse("-");
            lines.add(String.format("  %-28s %5d %9.3f %9.3f %9.3f  %s", system, s.runs(), s.median(), s.p95(), s.max(),
                    ratio));
        });
        return lines;
    }
}
