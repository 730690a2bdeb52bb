package io.carpoperator.bench;

import io.carpoperator.bench.WireTimeline.Advert;
import io.carpoperator.bench.WireTimeline.Arp;
import io.carpoperator.bench.WireTimeline.EchoReply;
import io.carpoperator.bench.WireTimeline.WireEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the time of one failover went, from what the client's wire and node2's ucarp log show: node1's last advert,
 * the fault, node2's ucarp switching to MASTER and spawning its up hook, node2's first gratuitous ARP for the VIP, the
 * client's first echo reply from node2. Every span is in seconds between two of those moments; a moment not seen
 * costs the spans that need it and gives a note naming it, never a guessed number. Pure: times in, figures out.
 *
 * <p>All times are wall-clock on one machine: the sniffer's are the kernel's receive stamps in the client's
 * namespace, ucarp's its own local-time stamps. node1's last advert is the last one on the wire, even when it left
 * while the fault was being injected (the fault command takes some milliseconds): node2's master-down timer runs
 * from that one, so {@link #FAULT_AFTER_ADVERT} can be slightly negative.
 */
record FailoverBreakdown(Map<String, Double> figures, List<String> notes, List<Timeline.Marker> markers) {

    static final String FAULT_AFTER_ADVERT = "fault-after-advert";
    static final String ADVERT_TO_MASTER = "advert-to-master";
    static final String HOOK_START = "hook-start";
    static final String MASTER_TO_GARP = "master-to-garp";
    static final String ADVERT_TO_GARP = "advert-to-garp";
    static final String GARP_TO_REPLY = "garp-to-reply";

    /** One span of the breakdown: its key after the scenario's slug, and what it measures (for the summary's title). */
    record Figure(String suffix, String title) {
    }

    /** The spans in summary order. */
    static final List<Figure> FIGURES = List.of(
            new Figure(FAULT_AFTER_ADVERT, "node1's last advert on the wire until the fault (where in the 1 s advert"
                    + " cycle the fault fell; slightly negative when an advert left while the fault was injected)"),
            new Figure(ADVERT_TO_MASTER, "node1's last advert until node2's ucarp logs \"Switching to state: MASTER\""
                    + " (ideal: master-down 3 x 1 + 10/256 = 3.039 s, plus up to one poll step of ucarp; ucarp only)"),
            new Figure(HOOK_START, "node2's MASTER line until its \"Spawning [up hook]\" line (ucarp only)"),
            new Figure(MASTER_TO_GARP, "node2's MASTER line until its first gratuitous ARP for the VIP on the wire (the"
                    + " up hook's run, ip addr add, then the send; ucarp only)"),
            new Figure(ADVERT_TO_GARP, "node1's last advert until node2's first gratuitous ARP for the VIP (ideal: ucarp's"
                    + " master-down 3.039 s plus its up hook; keepalived's 3 x 1 + 156/256 = 3.609 s)"),
            new Figure(GARP_TO_REPLY, "node2's first gratuitous ARP until the client's first echo reply from node2"));

    /** What the run's events are matched against. {@code backupMac} in lower case, as the sniffer prints it. */
    record Subject(String system, Scenario scenario, Instant faultAt, int vhid, String masterAddress, String vip,
                   String backupMac) {
    }

    /**
     * One moment of the failover: what it is and where it was looked for, and when it was seen; {@code unsought} when
     * it was not looked for because the moment it follows was not seen (that one's note says so).
     */
    private record Moment(String description, boolean onWire, Optional<Instant> at, boolean unsought) {

        Moment(String description, boolean onWire, Optional<Instant> at) {
            this(description, onWire, at, false);
        }
    }

    /** One figure: the span between two moments. */
    private record Span(String suffix, Moment from, Moment to) {
    }

    static String key(Scenario scenario, String suffix) {
        return scenario.slug() + "-" + suffix;
    }

    /**
     * The breakdown of one run. {@code wireFailure}: why the sniffer captured nothing, if it did not start;
     * {@code backupLog}: node2's stamped ucarp lines, empty for a system without ucarp (keepalived), whose MASTER and
     * hook spans are then left out without a note.
     */
    static FailoverBreakdown of(Subject run, List<WireEvent> wire, Optional<String> wireFailure,
                                Optional<List<UcarpLog.Line>> backupLog) {
        Instant fault = run.faultAt();
        Moment faultMoment = new Moment("the fault", false, Optional.of(fault));
        Moment advert = new Moment(String.format("node1's last advert (vhid %d from %s) on the client's wire", run.vhid(),
                run.masterAddress()), true, lastAdvert(wire, run));
        Moment garp = new Moment(String.format("node2's gratuitous ARP for %s (from %s) on the client's wire after the"
                + " fault", run.vip(), run.backupMac()), true, firstGarp(wire, run));
        Moment reply = new Moment(String.format("an echo reply from node2 (%s) on the client's wire after the fault",
                run.backupMac()), true, firstReply(wire, run));

        List<Span> spans = new ArrayList<>();
        spans.add(new Span(FAULT_AFTER_ADVERT, advert, faultMoment));
        List<Timeline.Marker> markers = new ArrayList<>();
        advert.at().ifPresent(at -> markers.add(new Timeline.Marker(at, "node1's last advert")));
        if (backupLog.isPresent()) {
            Optional<Instant> masterAt = UcarpLog.firstMaster(backupLog.get(), fault);
            Moment master = new Moment("node2's ucarp line \"Switching to state: MASTER\" after the fault", false,
                    masterAt);
            Moment spawn = new Moment("node2's ucarp line \"Spawning [...]\" after its MASTER line", false,
                    masterAt.flatMap(at -> UcarpLog.firstSpawn(backupLog.get(), at)), masterAt.isEmpty());
            spans.add(new Span(ADVERT_TO_MASTER, advert, master));
            spans.add(new Span(HOOK_START, master, spawn));
            spans.add(new Span(MASTER_TO_GARP, master, garp));
            masterAt.ifPresent(at -> markers.add(new Timeline.Marker(at, "node2 MASTER")));
        }
        spans.add(new Span(ADVERT_TO_GARP, advert, garp));
        spans.add(new Span(GARP_TO_REPLY, garp, reply));
        garp.at().ifPresent(at -> markers.add(new Timeline.Marker(at, "node2 GARP")));

        Map<String, Double> figures = new LinkedHashMap<>();
        for (Span span : spans) {
            if (span.from().at().isPresent() && span.to().at().isPresent()) {
                figures.put(key(run.scenario(), span.suffix()), seconds(span.from().at().get(), span.to().at().get()));
            }
        }
        return new FailoverBreakdown(figures, notes(run, spans, wireFailure), markers);
    }

    /** One note per moment not seen, naming the figures it cost; one note for the whole wire when nothing was captured. */
    private static List<String> notes(Subject run, List<Span> spans, Optional<String> wireFailure) {
        String prefix = run.system() + " " + run.scenario().slug() + ": ";
        List<String> notes = new ArrayList<>();
        wireFailure.ifPresent(reason -> notes.add(prefix + "no wire capture (" + reason + "): no "
                + spans.stream().filter(s -> s.from().onWire() || s.to().onWire()).map(Span::suffix)
                .collect(Collectors.joining(", "))));
        Map<Moment, List<String>> missing = new LinkedHashMap<>();
        for (Span span : spans) {
            for (Moment moment : List.of(span.from(), span.to())) {
                // with no capture at all, the note above already names every wire moment's figures
                if (moment.at().isEmpty() && !moment.unsought() && !(moment.onWire() && wireFailure.isPresent())) {
                    missing.computeIfAbsent(moment, m -> new ArrayList<>()).add(span.suffix());
                }
            }
        }
        missing.forEach((moment, lost) -> notes.add(prefix + moment.description() + " not seen: no "
                + String.join(", ", lost)));
        return notes;
    }

    /** The last advert node1 put on the wire for this vhid: after it, node1 sent no more. */
    static Optional<Instant> lastAdvert(List<WireEvent> wire, Subject run) {
        return wire.stream().filter(Advert.class::isInstance).map(Advert.class::cast)
                .filter(a -> a.source().equals(run.masterAddress()) && a.vhid() == run.vhid())
                .map(Advert::at).max(Comparator.naturalOrder());
    }

    /** node2's first gratuitous ARP for the VIP after the fault: its claim to the address. */
    static Optional<Instant> firstGarp(List<WireEvent> wire, Subject run) {
        return wire.stream().filter(Arp.class::isInstance).map(Arp.class::cast)
                .filter(a -> a.gratuitous() && a.senderIp().equals(run.vip())
                        && a.senderMac().equalsIgnoreCase(run.backupMac()) && !a.at().isBefore(run.faultAt()))
                .map(Arp::at).min(Comparator.naturalOrder());
    }

    /** The client's first echo reply from node2 after the fault: node1's replies (until the fault) do not count. */
    static Optional<Instant> firstReply(List<WireEvent> wire, Subject run) {
        return wire.stream().filter(EchoReply.class::isInstance).map(EchoReply.class::cast)
                .filter(r -> r.source().equals(run.vip()) && r.sourceMac().equalsIgnoreCase(run.backupMac())
                        && !r.at().isBefore(run.faultAt()))
                .map(EchoReply::at).min(Comparator.naturalOrder());
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
