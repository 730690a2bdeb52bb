package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTableTest {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndP95IsTheNearestRank() {
        SampleStats stats = SampleStats.of(List.of(4.0, 1.0, 3.0, 2.0, 10.0, 5.0, 6.0, 7.0, 8.0, 9.0));

        assertThat(stats.runs()).isEqualTo(10);
        assertThat(stats.median()).isEqualTo(5.5);
        assertThat(stats.p95()).isEqualTo(10.0);
        assertThat(stats.max()).isEqualTo(10.0);
    }

    @Test
    void p95OfTwentySamplesIsTheNineteenth() {
        List<Double> values = java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> (double) i).toList();

        assertThat(SampleStats.of(values).p95()).isEqualTo(19.0);
        assertThat(SampleStats.of(values).median()).isEqualTo(10.5);
    }

    @Test
    void tablePrintsEachSystemWithItsRatioToTheBaselineMedian() {
        SampleTable table = new SampleTable();
        table.add("kill", "ours", 1.0);
        table.add("kill", "base", 2.0);
        table.add("kill", "ours", 3.0);
        table.add("kill", "base", 2.0);

        List<String> lines = table.format("kill", "title", "base");

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("title");
        assertThat(lines.get(1)).contains("median", "p95", "max", "ratio to base");
        assertThat(lines.get(2)).startsWith("  ours").contains("2.000", "3.000").endsWith("1.00");
        assertThat(lines.get(3)).startsWith("  base").endsWith("1.00");
    }

    @Test
    void ratioIsADashWhenTheBaselineHasNoSamples() {
        SampleTable table = new SampleTable();
        table.add("isolation-withdraw", "ours", 1.8);

        assertThat(table.format("isolation-withdraw", "t", "seed").get(2)).endsWith("-");
    }
}
