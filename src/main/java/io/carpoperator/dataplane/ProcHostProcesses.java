package io.carpoperator.dataplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link HostProcesses} from a proc file system (the real one at {@code /proc}, or a directory laid out like it). */
final class ProcHostProcesses implements HostProcesses {
    /** Field 22 (starttime) counted from field 3 (state), the first one after the command name's closing parenthesis. */
    private static final int START_TIME_AFTER_COMMAND = 22 - 3;
    private static final long KILL_WAIT_MILLIS = 1000;

    private final Path proc;

    ProcHostProcesses(Path proc) {
        this.proc = proc;
    }

    @Override
    public OptionalLong startTime(long pid) {
        try {
            return parseStartTime(Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean kill(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().destroyForcibly()) {
            return false;
        }
        try {
            process.get().onExit().get(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // SIGKILL was sent; a process that is slow to be reaped cannot run anything any more
        }
        return true;
    }

    /** The command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'. */
    static OptionalLong parseStartTime(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(end + 1).strip().split("\\s+");
        if (fields.length <= START_TIME_AFTER_COMMAND) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[START_TIME_AFTER_COMMAND]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
