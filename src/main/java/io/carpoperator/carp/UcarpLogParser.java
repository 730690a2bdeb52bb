package io.carpoperator.carp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the lines ucarp 1.5.2 prints when it is not daemonized. Its {@code logfile()} writes
 * "2026-11-26T01:47:10.686189: [WARNING] Switching to state: MASTER": WARNING and ERROR to stderr
 * (unbuffered), INFO/NOTICE/DEBUG to stdout (block-buffered when piped, hence {@code stdbuf -oL}).
 * The same text without the timestamp also goes to syslog. Lines the hooks print arrive on the same pipes
 * and become {@link UcarpEvent.Other} with an empty level.
 */
public final class UcarpLogParser {

    private static final Pattern LINE = Pattern.compile(
            "^(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?: )?(?:\\[(INFO|NOTICE|WARNING|ERROR|DEBUG)\\] )?(.*)$");
    private static final Pattern STATE = Pattern.compile("^Switching to state: (INIT|BACKUP|MASTER)$");
    private static final Pattern SPAWN = Pattern.compile("^Spawning \\[(.*)\\]$");

    private UcarpLogParser() {
    }

    public static Optional<UcarpEvent> parse(String line) {
        if (line == null || line.isBlank()) {
            return Optional.empty();
        }
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) {
            return Optional.of(new UcarpEvent.Other("", line.strip()));
        }
        String level = m.group(1) == null ? "" : m.group(1);
        String message = m.group(2);
        Matcher state = STATE.matcher(message);
        if (state.matches()) {
            return Optional.of(new UcarpEvent.StateChanged(UcarpState.valueOf(state.group(1))));
        }
        if (message.startsWith("Bad digest")) {
            return Optional.of(new UcarpEvent.AuthenticationFailed(message));
        }
        if (message.startsWith("exiting: ")) {
            return Optional.of(new UcarpEvent.Exiting(message.substring("exiting: ".length())));
        }
        Matcher spawn = SPAWN.matcher(message);
        if (spawn.matches()) {
            return Optional.of(new UcarpEvent.HookSpawned(spawn.group(1)));
        }
        return Optional.of(new UcarpEvent.Other(level, message));
    }
}
