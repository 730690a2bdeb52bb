package io.carpoperator.watchdog;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs one probe command; injectable so that {@link ExecProber}'s parsing is tested without processes. */
public interface ProbeCommandRunner {

    /** The outcome of a command; {@code timedOut} when it was killed at the deadline. */
    record Output(int exitCode, String stdout, String stderr, boolean timedOut) {
        public Output {
            stdout = stdout == null ? "" : stdout;
            stderr = stderr == null ? "" : stderr;
        }

        public static Output timeout() {
            return new Output(-1, "", "", true);
        }
    }

    /**
     * Starts {@code argv} with {@code LC_ALL=C} and completes with its output, or with a timed-out
     * output once {@code deadline} has passed (the process is then killed). May complete exceptionally
     * when the command cannot be started.
     */
    CompletableFuture<Output> run(List<String> argv, Duration deadline);
}
