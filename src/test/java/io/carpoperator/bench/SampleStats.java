package io.carpoperator.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, nearest-rank p95 and maximum of one system's samples in one scenario. */
record SampleStats(int runs, double median, double p95, double max) {

    static SampleStats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        // nearest rank: with 10 runs the p95 is the maximum
        double p95 = sorted.get(Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1));
        return new SampleStats(n, median, p95, sorted.get(n - 1));
    }
}
