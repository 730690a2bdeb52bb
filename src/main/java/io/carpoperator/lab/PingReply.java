package io.carpoperator.lab;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One echo reply seen by the client, parsed from a line of {@code ping -n -D -O}. */
public record PingReply(Instant at, int sequence, double rttMillis) {

    // [1700000000.123456] 64 bytes from 198.51.100.10: icmp_seq=7 ttl=64 time=0.051 ms
    private static final Pattern REPLY = Pattern.compile(
            "^\\[(\\d+)\\.(\\d+)\\]\\s+\\d+ bytes from [^:]+: icmp_seq=(\\d+) ttl=\\d+ time=([\\d.]+) ms.*$");

    /** The reply in {@code line}, or empty for every other line (no answer yet, unreachable, statistics). */
    public static Optional<PingReply> parse(String line) {
        Matcher m = REPLY.matcher(line.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(m.group(1));
        long nanos = new BigDecimal("0." + m.group(2)).movePointRight(9).longValue();
        return Optional.of(new PingReply(Instant.ofEpochSecond(seconds, nanos),
                Integer.parseInt(m.group(3)), Double.parseDouble(m.group(4))));
    }
}
