package io.carpoperator.testing;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition read the way a scraper reads it: by metric name and labels, whatever their order, the
 * number format or the trailing comma of the writer.
 */
public final class PrometheusSamples {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");

    private final Map<String, Double> values = new TreeMap<>();
    private final Map<String, String> types = new TreeMap<>();

    private PrometheusSamples() {
    }

    public static PrometheusSamples parse(String text) {
        PrometheusSamples samples = new PrometheusSamples();
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                samples.types.put(type.group(1), type.group(2));
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.values.put(key(sample.group(1), labels), Double.parseDouble(sample.group(3)));
        }
        return samples;
    }

    /** The sample's value, if the exposition has it; {@code labels} are name, value, name, value... and must be all of them. */
    public OptionalDouble value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Double value = values.get(key(name, wanted));
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Metric name to its declared type ("counter", "gauge", ...), e.g. carp_vip_transitions_total to counter. */
    public Map<String, String> types() {
        return types;
    }

    /** Every sample as name{labels}, labels in name order, to see what a metric's series are. */
    public TreeSet<String> series() {
        return new TreeSet<>(values.keySet());
    }

    private static String key(String name, Map<String, String> labels) {
        return labels.isEmpty() ? name : name + labels;
    }
}
