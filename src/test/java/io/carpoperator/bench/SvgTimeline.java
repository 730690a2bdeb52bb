package io.carpoperator.bench;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Draws a {@link Timeline} as SVG: one row of client replies (a dot for every pixel column with at least one reply),
 * one band per node for the polls in which it held the VIP, and the faults as dashed vertical lines.
 */
final class SvgTimeline {

    static final int WIDTH = 960;
    private static final int LEFT = 190;
    private static final int RIGHT = 20;
    private static final int TOP = 54;
    private static final int ROW = 26;
    private static final int BAND = 14;
    private static final String[] NODE_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"};

    private final Timeline timeline;
    private final double fromSeconds;
    private final double toSeconds;

    private SvgTimeline(Timeline timeline) {
        this.timeline = timeline;
        this.fromSeconds = timeline.secondsFromOrigin(timeline.from());
        this.toSeconds = Math.max(fromSeconds + 0.001, timeline.secondsFromOrigin(timeline.to()));
    }

    static String render(Timeline timeline) {
        return new SvgTimeline(timeline).svg();
    }

    private String svg() {
        int rows = 1 + timeline.nodeNames().size();
        int plotBottom = TOP + rows * ROW;
        int height = plotBottom + 62;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(text(10, 20, escape(timeline.title()), "font-size=\"13\" font-weight=\"bold\""));
        axis(svg, plotBottom);
        replies(svg, TOP);
        for (int i = 0; i < timeline.nodeNames().size(); i++) {
            band(svg, i, TOP + (i + 1) * ROW);
        }
        markers(svg, plotBottom);
        svg.append(text(10, plotBottom + 50, "dots: client echo replies (10 ms pings to the VIP); bands: node had the "
                + "VIP configured when polled (ip addr, every 25 ms); dashed: the fault and what followed", "fill=\"#555\" font-size=\"11\""));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void axis(StringBuilder svg, int plotBottom) {
        double step = tickStep(toSeconds - fromSeconds);
        svg.append(line(LEFT, plotBottom, WIDTH - RIGHT, plotBottom, "stroke=\"#333\""));
        for (double t = Math.ceil(fromSeconds / step) * step; t <= toSeconds + 1e-9; t += step) {
            double x = x(t);
            svg.append(line(x, TOP - 4, x, plotBottom, "stroke=\"#ddd\""));
            svg.append(text(x, plotBottom + 16, format(t), "text-anchor=\"middle\""));
        }
        svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, plotBottom + 32, "seconds from the fault", "text-anchor=\"middle\""));
    }

    private void replies(StringBuilder svg, int rowTop) {
        svg.append(text(LEFT - 8, rowTop + ROW / 2.0 + 4, "client replies", "text-anchor=\"end\""));
        TreeSet<Integer> columns = new TreeSet<>();
        for (var reply : timeline.replies()) {
            double t = timeline.secondsFromOrigin(reply);
            if (t >= fromSeconds && t <= toSeconds) {
                columns.add((int) Math.round(x(t)));
            }
        }
        for (int column : columns) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"1.6\" fill=\"#222\"/>%n", column,
                    rowTop + ROW / 2.0));
        }
    }

    private void band(StringBuilder svg, int node, int rowTop) {
        svg.append(text(LEFT - 8, rowTop + ROW / 2.0 + 4, escape(timeline.nodeNames().get(node)) + " holds VIP",
                "text-anchor=\"end\""));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>%n",
                LEFT, rowTop + (ROW - BAND) / 2.0, WIDTH - RIGHT - LEFT, BAND));
        String colour = NODE_COLOURS[node % NODE_COLOURS.length];
        for (double[] span : heldSpans(timeline.holders(), node)) {
            double start = clamp(span[0]);
            double end = clamp(span[1]);
            if (end > start) {
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", x(start),
                        rowTop + (ROW - BAND) / 2.0, x(end) - x(start), BAND, colour));
            }
        }
    }

    /**
     * The spans, in seconds from the origin, in which {@code node} held the VIP: from a poll that found it until the
     * next poll that did not (or the last poll).
     */
    private List<double[]> heldSpans(List<Timeline.HolderSample> samples, int node) {
        List<double[]> spans = new java.util.ArrayList<>();
        Double start = null;
        for (Timeline.HolderSample sample : samples) {
            double t = timeline.secondsFromOrigin(sample.at());
            boolean holds = sample.holds().get(node);
            if (holds && start == null) {
                start = t;
            } else if (!holds && start != null) {
                spans.add(new double[] {start, t});
                start = null;
            }
        }
        if (start != null && !samples.isEmpty()) {
            spans.add(new double[] {start, timeline.secondsFromOrigin(samples.get(samples.size() - 1).at())});
        }
        return spans;
    }

    private void markers(StringBuilder svg, int plotBottom) {
        int labelRow = 0;
        for (Timeline.Marker marker : timeline.markers()) {
            double t = timeline.secondsFromOrigin(marker.at());
            if (t < fromSeconds || t > toSeconds) {
                continue;
            }
            double x = x(t);
            svg.append(line(x, TOP - 8, x, plotBottom, "stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\""));
            svg.append(text(x + 3, TOP - 12 - 12 * (labelRow++ % 2), escape(marker.label()), "fill=\"#d62728\""));
        }
    }

    private double clamp(double t) {
        return Math.max(fromSeconds, Math.min(toSeconds, t));
    }

    private double x(double seconds) {
        return LEFT + (seconds - fromSeconds) / (toSeconds - fromSeconds) * (WIDTH - RIGHT - LEFT);
    }

    /** The smallest of 0.1, 0.2, 0.5, 1, 2, 5, 10, ... seconds that leaves at most 12 ticks. */
    static double tickStep(double span) {
        double decade = 0.1;
        while (true) {
            for (double factor : new double[] {1, 2, 5}) {
                if (span / (decade * factor) <= 12) {
                    return decade * factor;
                }
            }
            decade *= 10;
        }
    }

    private static String format(double seconds) {
        double rounded = Math.round(seconds * 10) / 10.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.format(Locale.ROOT, "%.1f", rounded);
    }

    static String line(double x1, double y1, double x2, double y2, String style) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %s/>%n", x1, y1, x2, y2,
                style);
    }

    static String text(double x, double y, String escapedText, String style) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, style, escapedText);
    }

    static String escape(String raw) {
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
