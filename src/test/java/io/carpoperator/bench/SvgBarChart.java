package io.carpoperator.bench;

import java.util.List;
import java.util.Locale;

/** A horizontal bar per system: the bar is the median, the thin line runs from the median to the p95. */
final class SvgBarChart {

    private static final int WIDTH = 960;
    private static final int LEFT = 230;
    private static final int RIGHT = 90;
    private static final int TOP = 40;
    private static final int ROW = 30;
    private static final int BAR = 18;

    /** One system's figure in one scenario. */
    record Bar(String system, SampleStats stats) {
    }

    private SvgBarChart() {
    }

    static String render(String title, List<Bar> bars) {
        double max = bars.stream().mapToDouble(b -> b.stats().p95()).max().orElse(1);
        double scale = max > 0 ? max : 1;
        int plotBottom = TOP + bars.size() * ROW;
        int height = plotBottom + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(SvgTimeline.text(10, 22, SvgTimeline.escape(title), "font-size=\"13\" font-weight=\"bold\""));
        double plotWidth = WIDTH - LEFT - RIGHT;
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double y = TOP + i * ROW + (ROW - BAR) / 2.0;
            double median = bar.stats().median() / scale * plotWidth;
            double p95 = bar.stats().p95() / scale * plotWidth;
            svg.append(SvgTimeline.text(LEFT - 8, y + BAR - 4, SvgTimeline.escape(bar.system()), "text-anchor=\"end\""));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#4c78a8\"/>%n",
                    LEFT, y, Math.max(1, median), BAR));
            svg.append(SvgTimeline.line(LEFT + median, y + BAR / 2.0, LEFT + p95, y + BAR / 2.0, "stroke=\"#222\""));
            svg.append(SvgTimeline.line(LEFT + p95, y + 3, LEFT + p95, y + BAR - 3, "stroke=\"#222\""));
            svg.append(SvgTimeline.text(LEFT + Math.max(median, p95) + 6, y + BAR - 4,
                    String.format(Locale.ROOT, "%.3f s", bar.stats().median()), ""));
        }
        svg.append(SvgTimeline.line(LEFT, TOP, LEFT, plotBottom, "stroke=\"#333\""));
        svg.append(SvgTimeline.text(LEFT, plotBottom + 24, String.format(Locale.ROOT,
                "bar: median, whisker: p95 (nearest rank) of %d runs or fewer; full width = %.3f s", bars.stream()
                        .mapToInt(b -> b.stats().runs()).max().orElse(0), scale), "fill=\"#555\" font-size=\"11\""));
        svg.append("</svg>\n");
        return svg.toString();
    }
}
