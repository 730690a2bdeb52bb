package io.carpoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the propagation latencies {@link ScaleBench} left in target/bench (one file per model and cluster size) as one
 * bar per size. Run by bench/scale.sh after the sizes ({@code ScalePlot MODEL OUTPUT.svg}), with only the test classes on the class
 * path: it needs nothing else.
 */
final class ScalePlot {
    /** Where ScaleBench keeps each run's propagation latencies. */
    static final Path RESULTS = Path.of("target", "bench");
    private static final Pattern FILE = Pattern.compile("scale-propagation-(.+)-(\\d+)\\.txt");

    private ScalePlot() {
    }

    public static void main(String[] args) throws IOException {
        String model = args[0];
        Path output = Path.of(args[1]);
        List<Path> files = new ArrayList<>();
        try (var listing = Files.list(RESULTS)) {
            listing.filter(p -> matches(p, model)).forEach(files::add);
        }
        files.sort((a, b) -> Integer.compare(nodes(a), nodes(b)));
        List<SvgBarChart.Bar> bars = new ArrayList<>();
        for (Path file : files) {
            List<Double> seconds = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Double::parseDouble).toList();
            if (!seconds.isEmpty()) {
                bars.add(new SvgBarChart.Bar(nodes(file) + " nodes", SampleStats.of(seconds)));
            }
        }
        if (bars.isEmpty()) {
            System.out.println("BENCH no propagation figures for model " + model + " in " + RESULTS + "; no plot");
            return;
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, SvgBarChart.render("Master change -> status.master visible, " + model
                + " (sizes where no change showed within 30 s have no bar)", bars));
        System.out.println("BENCH wrote " + output);
    }

    private static boolean matches(Path file, String model) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        return m.matches() && m.group(1).equals(model);
    }

    private static int nodes(Path file) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }
}
