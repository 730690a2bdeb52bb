package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.carpoperator.bench.WireTimeline.WireEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FailoverBreakdownTest {

    private static final String NODE1 = "198.51.100.11";
    private static final String NODE1_MAC = "02:00:00:00:00:01";
    private static final String NODE2 = "198.51.100.12";
    private static final String NODE2_MAC = "02:00:00:00:00:02";
    private static final String VIP = "198.51.100.10";
    private static final String CLIENT = "198.51.100.100";
    private static final String CLIENT_MAC = "02:00:00:00:00:64";
    /** The fault at .600 of second 10; node1 advertised at .250 of every second before it. */
    private static final FailoverBreakdown.Subject KILL = new FailoverBreakdown.Subject("plain ucarp", Scenario.KILL,
            Instant.parse("2026-12-02T03:50:10.600Z"), 21, NODE1, VIP, NODE2_MAC);

    /** A kill at 10.600 after node1's advert at 10.250; node2 MASTER at 13.300, its GARP at 13.310, served at 13.320. */
    private static List<String> wire() {
        return List.of(
                "1796183408.250000 carp 198.51.100.11 21 0",
                "1796183408.255000 icmp-reply 198.51.100.10 " + NODE1_MAC,
                "1796183409.250000 carp 198.51.100.11 21 0",
                "1796183409.250100 carp 198.51.100.11 20 0",
                "1796183410.250000 carp 198.51.100.11 21 0",
                "1796183410.595000 icmp-reply 198.51.100.10 " + NODE1_MAC,
                "1796183410.605000 icmp-reply 198.51.100.10 " + NODE1_MAC,
                "1796183411.900000 arp 1 " + CLIENT + " " + CLIENT_MAC + " " + VIP,
                "1796183412.000000 arp 1 " + NODE2 + " " + NODE2_MAC + " " + CLIENT,
                "1796183413.302000 carp 198.51.100.12 21 10",
                "1796183413.310000 arp 1 " + VIP + " " + NODE2_MAC + " " + VIP,
                "1796183413.320000 icmp-reply 198.51.100.10 " + NODE2_MAC,
                "1796183413.330000 icmp-reply 198.51.100.10 " + NODE2_MAC,
                "1796183413.900000 arp 1 " + VIP + " " + NODE2_MAC + " " + VIP);
    }

    private static List<WireEvent> events(List<String> lines) {
        return lines.stream().map(WireTimeline::parse).flatMap(Optional::stream).toList();
    }

    private static List<UcarpLog.Line> node2Log() {
        return UcarpLog.parse(List.of(
                "2026-12-02T03:50:06.100000: [WARNING] Switching to state: BACKUP",
                "2026-12-02T03:50:06.100500: [WARNING] Spawning [/hooks/down eth0 198.51.100.10 24]",
                "2026-12-02T03:50:13.300000: [WARNING] Switching to state: MASTER",
                "2026-12-02T03:50:13.300400: [WARNING] Spawning [/hooks/up eth0 198.51.100.10 24]"), ZoneOffset.UTC);
    }

    private static double figure(FailoverBreakdown breakdown, String suffix) {
        return breakdown.figures().get(FailoverBreakdown.key(Scenario.KILL, suffix));
    }

    @Test
    void aUcarpFailoverSplitsIntoTheAdvertCycleMasterDownHookGarpAndTheFirstReply() {
        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(wire()), Optional.empty(),
                Optional.of(node2Log()));

        assertThat(breakdown.figures()).containsOnlyKeys(Stream.of("fault-after-advert", "advert-to-master",
                "hook-start", "master-to-garp", "advert-to-garp", "garp-to-reply").map(s -> "kill-" + s).toList());
        assertThat(figure(breakdown, FailoverBreakdown.FAULT_AFTER_ADVERT)).isCloseTo(0.350, within(1e-9));
        assertThat(figure(breakdown, FailoverBreakdown.ADVERT_TO_MASTER)).isCloseTo(3.050, within(1e-9));
        assertThat(figure(breakdown, FailoverBreakdown.HOOK_START)).isCloseTo(0.0004, within(1e-9));
        assertThat(figure(breakdown, FailoverBreakdown.MASTER_TO_GARP)).isCloseTo(0.010, within(1e-9));
        assertThat(figure(breakdown, FailoverBreakdown.ADVERT_TO_GARP)).isCloseTo(3.060, within(1e-9));
        assertThat(figure(breakdown, FailoverBreakdown.GARP_TO_REPLY)).isCloseTo(0.010, within(1e-9));
        assertThat(breakdown.notes()).isEmpty();
        assertThat(breakdown.markers()).extracting(Timeline.Marker::label)
                .containsExactly("node1's last advert", "node2 MASTER", "node2 GARP");
    }

    @Test
    void theFiguresKeepTheSummaryOrder() {
        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(wire()), Optional.empty(),
                Optional.of(node2Log()));

        assertThat(breakdown.figures().keySet()).containsExactlyElementsOf(FailoverBreakdown.FIGURES.stream()
                .map(f -> FailoverBreakdown.key(Scenario.KILL, f.suffix())).toList());
    }

    @Test
    void aSystemWithoutUcarpGetsTheWireFiguresOnlyAndNoNoteForTheLogItDoesNotHave() {
        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(wire()), Optional.empty(), Optional.empty());

        assertThat(breakdown.figures()).containsOnlyKeys("kill-fault-after-advert", "kill-advert-to-garp",
                "kill-garp-to-reply");
        assertThat(breakdown.notes()).isEmpty();
    }

    @Test
    void anAdvertThatLeftWhileTheFaultWasInjectedIsTheLastOneAndTheCycleFigureGoesNegative() {
        List<String> lines = Stream.concat(wire().stream(), Stream.of("1796183410.610000 carp 198.51.100.11 21 0"))
                .toList();

        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(lines), Optional.empty(), Optional.empty());

        assertThat(figure(breakdown, FailoverBreakdown.FAULT_AFTER_ADVERT)).isCloseTo(-0.010, within(1e-9));
        assertThat(figure(breakdown, FailoverBreakdown.ADVERT_TO_GARP)).isCloseTo(2.700, within(1e-9));
    }

    @Test
    void anAnswerToTheClientsArpQuestionIsNoGratuitousArpAndNoGarpMeansNoFigureButANote() {
        List<String> lines = wire().stream().filter(l -> !l.contains(" arp 1 " + VIP)).toList();
        List<String> withReply = Stream.concat(lines.stream(),
                Stream.of("1796183413.305000 arp 2 " + VIP + " " + NODE2_MAC + " " + CLIENT)).toList();

        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(withReply), Optional.empty(),
                Optional.of(node2Log()));

        assertThat(breakdown.figures()).containsOnlyKeys("kill-fault-after-advert", "kill-advert-to-master",
                "kill-hook-start");
        assertThat(breakdown.notes()).containsExactly("plain ucarp kill: node2's gratuitous ARP for 198.51.100.10 (from "
                + NODE2_MAC + ") on the client's wire after the fault not seen: no master-to-garp, advert-to-garp,"
                + " garp-to-reply");
    }

    @Test
    void node1sRepliesAfterTheFaultAreNotTheFirstReplyFromNode2() {
        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(wire()), Optional.empty(), Optional.empty());

        assertThat(FailoverBreakdown.firstReply(events(wire()), KILL))
                .contains(Instant.parse("2026-12-02T03:50:13.320Z"));
        assertThat(figure(breakdown, FailoverBreakdown.GARP_TO_REPLY)).isCloseTo(0.010, within(1e-9));
    }

    @Test
    void aMissingMasterLineCostsItsThreeFiguresInOneNote() {
        List<UcarpLog.Line> noMaster = node2Log().subList(0, 2);

        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(wire()), Optional.empty(), Optional.of(noMaster));

        assertThat(breakdown.figures()).containsOnlyKeys("kill-fault-after-advert", "kill-advert-to-garp",
                "kill-garp-to-reply");
        assertThat(breakdown.notes()).containsExactly("plain ucarp kill: node2's ucarp line \"Switching to state:"
                + " MASTER\" after the fault not seen: no advert-to-master, hook-start, master-to-garp");
    }

    @Test
    void aSnifferThatDidNotStartGivesOneNoteAndKeepsOnlyTheLogsFigure() {
        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, List.of(),
                Optional.of("the sniffer exited before its capture was live"), Optional.of(node2Log()));

        assertThat(breakdown.figures()).containsOnlyKeys("kill-hook-start");
        assertThat(breakdown.notes()).containsExactly("plain ucarp kill: no wire capture (the sniffer exited before its"
                + " capture was live): no fault-after-advert, advert-to-master, master-to-garp, advert-to-garp,"
                + " garp-to-reply");
    }

    @Test
    void node1sAdvertsForAnotherVhidDoNotCount() {
        List<String> otherVhid = wire().stream().filter(l -> !l.endsWith(" 21 0")).toList();

        FailoverBreakdown breakdown = FailoverBreakdown.of(KILL, events(otherVhid), Optional.empty(), Optional.empty());

        assertThat(breakdown.figures()).containsOnlyKeys("kill-garp-to-reply");
        assertThat(breakdown.notes()).containsExactly("plain ucarp kill: node1's last advert (vhid 21 from "
                + "198.51.100.11) on the client's wire not seen: no fault-after-advert, advert-to-garp");
    }
}
