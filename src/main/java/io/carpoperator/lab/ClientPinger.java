package io.carpoperator.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Pings a floating IP from the client every 10 ms and keeps every reply with ping's own receive
 * timestamp ({@code -D}), so the measured outage does not depend on when Java reads the line.
 */
public final class ClientPinger implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClientPinger.class);

    private final String target;
    private final Process process;
    private final Thread reader;
    private final List<PingReply> replies = new ArrayList<>();

    private ClientPinger(String target, Process process) {
        this.target = target;
        this.process = process;
        this.reader = new Thread(this::readReplies, "ping-" + target);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code ping -n -i 0.01 -D -O target} in {@code host}'s namespace (intervals under 200 ms need root). */
    public static ClientPinger start(LabHost host, String target) {
        // stdbuf -oL: ping's stdout is a pipe, and block buffering would delay replies until exit
        Process process = host.exec(List.of("stdbuf", "-oL", "ping", "-n", "-i", "0.01", "-D", "-O", target));
        return new ClientPinger(target, process);
    }

    public String target() {
        return target;
    }

    /** A snapshot of every reply so far. */
    public OutageReport report() {
        synchronized (replies) {
            return new OutageReport(new ArrayList<>(replies));
        }
    }

    public Optional<Instant> lastReply() {
        return report().lastReply();
    }

    /** True when a reply arrived at or after {@code since}. */
    public boolean repliedSince(Instant since) {
        return lastReply().map(last -> !last.isBefore(since)).orElse(false);
    }

    /** Replies that arrived at or after {@code since}. */
    public long replyCountSince(Instant since) {
        synchronized (replies) {
            return replies.stream().filter(r -> !r.at().isBefore(since)).count();
        }
    }

    /** Stops pinging; the replies stay available through {@link #report()}. */
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

    private void readReplies() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Optional<PingReply> reply = PingReply.parse(line);
                if (reply.isPresent()) {
                    synchronized (replies) {
                        replies.add(reply.get());
                    }
                }
            }
        } catch (IOException e) {
            LOG.debugf("Pinger for %s stopped reading: %s", target, e.getMessage());
        }
    }
}
