package io.carpoperator.bench;

import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpLogParser;
import io.carpoperator.carp.UcarpState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ucarp's own lines with the time ucarp stamped on each ("2026-12-02T03:40:11.174377: [WARNING] Switching to state:
 * MASTER", local time to the microsecond), from a log its output was appended to: plain ucarp's own output, or the
 * agent JVM's log, where each ucarp line follows "ucarp[PID] " at DEBUG. Lines without ucarp's stamp (the hooks' own
 * output, the JVM's other lines) are skipped.
 */
final class UcarpLog {

    /** One stamped ucarp line. */
    record Line(Instant at, UcarpEvent event) {
    }

    private static final Pattern STAMPED = Pattern.compile(
            "(?:^|ucarp\\[\\d+\\] )(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?): (.*)$");

    private UcarpLog() {
    }

    /** The stamped lines of {@code file}; none when it does not exist (nothing was logged). */
    static List<Line> read(Path file, ZoneId zone) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            // not readAllLines: a torn or foreign byte in a long log must not cost the run its figures
            return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList(), zone);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ucarp's log " + file, e);
        }
    }

    static List<Line> parse(List<String> lines, ZoneId zone) {
        return lines.stream().map(line -> parse(line, zone)).flatMap(Optional::stream).toList();
    }

    /** One line, when it carries ucarp's stamp; ucarp stamps local time, {@code zone} is the machine's. */
    static Optional<Line> parse(String line, ZoneId zone) {
        Matcher m = STAMPED.matcher(line.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        Instant at = LocalDateTime.parse(m.group(1)).atZone(zone).toInstant();
        return UcarpLogParser.parse(m.group(2)).map(event -> new Line(at, event));
    }

    /**
     * The earliest "Switching to state: MASTER" at or after {@code from}; by ucarp's stamps, not by line order (the agent
     * reads ucarp's stdout and stderr apart).
     */
    static Optional<Instant> firstMaster(List<Line> lines, Instant from) {
        return lines.stream().filter(l -> !l.at().isBefore(from))
                .filter(l -> l.event() instanceof UcarpEvent.StateChanged s && s.state() == UcarpState.MASTER)
                .map(Line::at).min(Comparator.naturalOrder());
    }

    /** The first "Spawning [...]" at or after {@code from}: after a MASTER line, the up hook's start. */
    static Optional<Instant> firstSpawn(List<Line> lines, Instant from) {
        return lines.stream().filter(l -> !l.at().isBefore(from))
                .filter(l -> l.event() instanceof UcarpEvent.HookSpawned).map(Line::at).min(Comparator.naturalOrder());
    }
}
