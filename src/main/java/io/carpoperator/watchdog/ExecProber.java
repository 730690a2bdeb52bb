package io.carpoperator.watchdog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Probes with iputils 20221126: {@code ping -n -c 1 -W SECONDS ADDRESS} (fractional -W, e.g. 0.4, works)
 * and {@code arping -c 1 -w SECONDS -I IFACE ADDRESS} (arping rejects fractional -w, so it gets the
 * rounded-up whole second and the runner kills it at the real deadline). Any non-zero exit counts as a
 * failure: ping exits 1 without a reply and 2 on errors such as "Network is unreachable".
 */
public final class ExecProber implements Prober {

    private static final Pattern PING_RTT = Pattern.compile("time[=<]([0-9]+(?:\\.[0-9]+)?) ?ms");
    private static final Pattern ARPING_RTT =
            Pattern.compile("Unicast reply from \\S+ \\[[0-9A-Fa-f:]+\\]\\s+([0-9]+(?:\\.[0-9]+)?) ?ms");
    private static final Pattern TOOL_PREFIX = Pattern.compile("^(?:ping|arping|connect|sendmsg|bind): ");

    /** ping enforces -W itself; the kill comes a little later so a reply at the deadline is not cut off. */
    static final Duration KILL_GRACE = Duration.ofMillis(50);

    private final ProbeCommandRunner runner;
    private final List<String> commandPrefix;

    public ExecProber(ProbeCommandRunner runner) {
        this(runner, List.of());
    }

    /** @param commandPrefix prepended to every command, e.g. {@code ip netns exec NODE} in the lab */
    public ExecProber(ProbeCommandRunner runner, List<String> commandPrefix) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target, Duration deadline) {
        CompletableFuture<ProbeCommandRunner.Output> output;
        try {
            output = runner.run(command(target, deadline), deadline.plus(KILL_GRACE));
        } catch (RuntimeException e) {
            output = CompletableFuture.failedFuture(e);
        }
        return output.handle((out, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return ProbeResult.failed(target, "error: " + cause.getMessage());
            }
            return interpret(target, deadline, out);
        });
    }

    List<String> command(ProbeTarget target, Duration deadline) {
        List<String> argv = new ArrayList<>(commandPrefix);
        if (target.kind() == ProbeKind.ICMP) {
            argv.addAll(List.of("ping", "-n", "-c", "1", "-W", fractionalSeconds(deadline), target.address()));
        } else {
            argv.addAll(List.of("arping", "-c", "1", "-w", wholeSecondsRoundedUp(deadline),
                    "-I", target.interfaceName(), target.address()));
        }
        return argv;
    }

    static ProbeResult interpret(ProbeTarget target, Duration deadline, ProbeCommandRunner.Output out) {
        if (out.timedOut()) {
            return ProbeResult.timedOut(target, deadline);
        }
        if (out.exitCode() != 0) {
            return ProbeResult.failed(target, "exit " + out.exitCode() + ": " + failureDetail(out));
        }
        Pattern rtt = target.kind() == ProbeKind.ICMP ? PING_RTT : ARPING_RTT;
        return ProbeResult.answered(target, parseRtt(rtt, out.stdout()).orElse(null));
    }

    static Optional<Duration> parseRtt(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        long nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1_000_000)).longValue();
        return Optional.of(Duration.ofNanos(nanos));
    }

    private static String failureDetail(ProbeCommandRunner.Output out) {
        String line = firstNonBlankLine(out.stderr());
        if (line.isEmpty()) {
            return "no reply";
        }
        String previous;
        do {
            previous = line;
            line = TOOL_PREFIX.matcher(line).replaceFirst("");
        } while (!line.equals(previous));
        return line;
    }

    private static String firstNonBlankLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }

    static String fractionalSeconds(Duration deadline) {
        BigDecimal seconds = BigDecimal.valueOf(Math.max(1, deadline.toMillis()), 3).stripTrailingZeros();
        return seconds.toPlainString();
    }

    static String wholeSecondsRoundedUp(Duration deadline) {
        return BigDecimal.valueOf(Math.max(1, deadline.toMillis()), 3).setScale(0, RoundingMode.CEILING).toPlainString();
    }
}
