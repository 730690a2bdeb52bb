package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class SvgTimelineTest {

    private static final Instant FAULT = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void drawsOneDotPerPixelColumnWithARepliesAndABandWhileANodeHeldTheVip() throws Exception {
        List<Instant> replies = new ArrayList<>();
        for (int ms = -1000; ms < 0; ms += 10) {
            replies.add(FAULT.plusMillis(ms));
        }
        List<Timeline.HolderSample> holders = List.of(
                new Timeline.HolderSample(FAULT.minusMillis(1000), List.of(true, false)),
                new Timeline.HolderSample(FAULT.plusMillis(500), List.of(false, false)),
                new Timeline.HolderSample(FAULT.plusMillis(2500), List.of(false, true)),
                new Timeline.HolderSample(FAULT.plusMillis(3000), List.of(false, true)));
        Timeline timeline = new Timeline("agent: kill <&> \"x\"", FAULT, FAULT.minusMillis(1000), FAULT.plusMillis(3000),
                replies, List.of("node1", "node2"), holders, List.of(new Timeline.Marker(FAULT, "SIGKILL")));

        String svg = SvgTimeline.render(timeline);
        Document doc = parse(svg);

        // 100 replies in the first second of 4 s on a 750 px plot are about 1.9 px apart: nearly a column each
        int dots = doc.getElementsByTagName("circle").getLength();
        assertThat(dots).isBetween(95, 100);
        assertThat(svg).contains("node1 holds VIP", "node2 holds VIP", "SIGKILL", "seconds from the fault",
                "agent: kill &lt;&amp;&gt; &quot;x&quot;");
        assertThat(svg).contains("fill=\"#1f77b4\"").contains("fill=\"#ff7f0e\"");
    }

    @Test
    void tickStepLeavesAtMostTwelveTicks() {
        assertThat(SvgTimeline.tickStep(1)).isEqualTo(0.1);
        assertThat(SvgTimeline.tickStep(5)).isEqualTo(0.5);
        assertThat(SvgTimeline.tickStep(20)).isEqualTo(2.0);
        assertThat(SvgTimeline.tickStep(110)).isEqualTo(10.0);
    }

    @Test
    void barChartIsWellFormedAndLabelsEverySystem() throws Exception {
        String svg = SvgBarChart.render("outage", List.of(
                new SvgBarChart.Bar("carp-operator agent", SampleStats.of(List.of(2.2, 2.3))),
                new SvgBarChart.Bar("plain ucarp", SampleStats.of(List.of(2.3, 2.4)))));

        Document doc = parse(svg);

        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(3);
        assertThat(svg).contains("carp-operator agent", "plain ucarp", "2.250 s", "2.350 s");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }
}
