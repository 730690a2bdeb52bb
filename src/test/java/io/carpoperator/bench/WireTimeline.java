package io.carpoperator.bench;

import io.carpoperator.lab.LabHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failover put on the client's wire, from {@code wire-sniff.pl} run in the client's namespace on its VIP-network
 * interface: the adverts (multicast, so flooded to the client's bridge port), every ARP frame (the gratuitous ones
 * are broadcast) and the echo replies to the client's own pings, each with the kernel's receive time. Start it before
 * the fault and close it after the run: it only listens, on the client, so the failover path is not touched. A sniffer
 * that did not start is not an error of the run: {@link #startFailure()} says why, and there are no events.
 */
final class WireTimeline implements AutoCloseable {

    static final String SCRIPT = "wire-sniff.pl";
    /** perl starts in about 0.1 s; on a loaded machine give it more. */
    static final Duration READY_LIMIT = Duration.ofSeconds(5);
    private static final int KEPT_OTHER_LINES = 5;

    /** One frame of interest, with the time its frame reached the client's interface. */
    sealed interface WireEvent permits Advert, Arp, EchoReply {
        Instant at();
    }

    /** A CARP or VRRP advert: {@code skew} is CARP's advskew, or VRRP's priority (the same byte). */
    record Advert(Instant at, String source, int vhid, int skew) implements WireEvent {
    }

    /** An ARP frame; gratuitous when it announces its sender's own address (sender IP = target IP). */
    record Arp(Instant at, int op, String senderIp, String senderMac, String targetIp) implements WireEvent {
        boolean gratuitous() {
            return senderIp.equals(targetIp);
        }
    }

    /** An ICMP echo reply, with the Ethernet source: which node answered. */
    record EchoReply(Instant at, String source, String sourceMac) implements WireEvent {
    }

    private static final String TIME = "(\\d+)\\.(\\d{6})";
    private static final String IP = "(\\d{1,3}(?:\\.\\d{1,3}){3})";
    private static final String MAC = "([0-9a-f]{2}(?::[0-9a-f]{2}){5})";
    private static final Pattern ADVERT = Pattern.compile("^" + TIME + " carp " + IP + " (\\d+) (\\d+)$");
    private static final Pattern ARP = Pattern.compile("^" + TIME + " arp (\\d+) " + IP + " " + MAC + " " + IP + "$");
    private static final Pattern ECHO_REPLY = Pattern.compile("^" + TIME + " icmp-reply " + IP + " " + MAC + "$");
    private static final String READY = "# listening on ";

    private final Process process;
    private final Thread reader;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<WireEvent> events = new ArrayList<>();
    private final List<String> otherLines = new ArrayList<>();
    private volatile boolean live;
    private volatile String startFailure;

    private WireTimeline(Process process) {
        this.process = process;
        this.reader = new Thread(this::readLines, "wire-sniff");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Copies the sniffer into {@code workDir}, starts it on {@code host}'s VIP-network interface and waits until its
     * capture is live.
     */
    static WireTimeline start(LabHost host, Path workDir) {
        Path script = copyScript(workDir);
        WireTimeline timeline = new WireTimeline(host.exec(List.of("perl", script.toString(), host.vipInterface())));
        timeline.awaitReady();
        return timeline;
    }

    /** Why no frames were captured, when the sniffer did not start. */
    Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /** Every event so far, in the order the frames were read. */
    List<WireEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** One sniffer line as an event; empty for its comment lines and anything else. */
    /** Waits up to {@code within} for an advert from {@code source} heard after {@code after}; its time, or empty. */
    Optional<Instant> awaitAdvert(String source, Instant after, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Optional<Instant> heard = events().stream()
                    .filter(e -> e instanceof Advert a && a.source().equals(source) && a.at().isAfter(after))
                    .map(WireEvent::at).findFirst();
            if (heard.isPresent() || Instant.now().isAfter(deadline)) {
                return heard;
            }
            DataPlaneBench.pause(Duration.ofMillis(2));
        }
    }

    static Optional<WireEvent> parse(String line) {
        String text = line.strip();
        Matcher m = ADVERT.matcher(text);
        if (m.matches()) {
            return Optional.of(new Advert(time(m), m.group(3), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5))));
        }
        m = ARP.matcher(text);
        if (m.matches()) {
            return Optional.of(new Arp(time(m), Integer.parseInt(m.group(3)), m.group(4), m.group(5), m.group(6)));
        }
        m = ECHO_REPLY.matcher(text);
        if (m.matches()) {
            return Optional.of(new EchoReply(time(m), m.group(3), m.group(4)));
        }
        return Optional.empty();
    }

    private static Instant time(Matcher m) {
        return Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1_000);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        try {
            boolean ended = ready.await(READY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!live) {
                failStart(ended ? "the sniffer exited before its capture was live"
                        : String.format("the sniffer did not report its capture live within %d s", READY_LIMIT.toSeconds()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failStart("interrupted while waiting for the sniffer");
        }
    }

    private void failStart(String reason) {
        close();
        synchronized (events) {
            startFailure = reason + (otherLines.isEmpty() ? "" : "; it said: " + String.join(" | ", otherLines));
        }
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Optional<WireEvent> event = parse(line);
                synchronized (events) {
                    if (event.isPresent()) {
                        events.add(event.get());
                    } else if (line.startsWith(READY)) {
                        live = true;
                        ready.countDown();
                    } else if (otherLines.size() < KEPT_OTHER_LINES) {
                        otherLines.add(line.strip());
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed: what was read stays
        } finally {
            // an exit before the ready line ends the wait at once; the failure names what it printed
            ready.countDown();
        }
    }

    private static Path copyScript(Path workDir) {
        Path script = workDir.resolve(SCRIPT);
        try (InputStream in = WireTimeline.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the test class path next to "
                        + WireTimeline.class.getName());
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + SCRIPT + " to " + workDir, e);
        }
    }
}
