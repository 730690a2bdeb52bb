package io.carpoperator.dataplane;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The host's processes as the start-up sweep sees them. A pid alone is not an identity (the kernel reuses pids), so a
 * process is recognised by its pid together with its start time.
 */
public interface HostProcesses {

    /** Field 22 of {@code /proc/PID/stat}, clock ticks after boot; empty when no such process. */
    OptionalLong startTime(long pid);

    /** {@code /proc/PID/cmdline} with its NUL separators as spaces; empty when no such process. */
    Optional<String> commandLine(long pid);

    /** SIGKILL, then waits briefly for the process to be gone; false when there was no such process. */
    boolean kill(long pid);

    static HostProcesses proc() {
        return new ProcHostProcesses(java.nio.file.Path.of("/proc"));
    }
}
