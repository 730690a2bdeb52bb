package io.carpoperator.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands, in the root namespace or inside a named network namespace. */
public final class NetnsCommands {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private NetnsCommands() {
    }

    /** The argv that runs {@code argv} inside {@code namespace}; {@code ip netns exec} execs, so the pid is the command's. */
    public static List<String> inNamespace(String namespace, List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(argv);
        return full;
    }

    public static CommandResult run(List<String> argv) {
        return run(argv, DEFAULT_TIMEOUT);
    }

    /**
     * Runs to completion or kills it at the timeout. Output goes to a temp file, not a pipe, so a
     * background grandchild holding the pipe open cannot hang us.
     */
    public static CommandResult run(List<String> argv, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("carplab-cmd", ".out");
            Process process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            return new CommandResult(argv, finished ? process.exitValue() : -1, output, !finished);
        } catch (IOException e) {
            throw new LabException("cannot run '" + String.join(" ", argv) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running '" + String.join(" ", argv) + "'", e);
        } finally {
            deleteQuietly(out);
        }
    }

    /** Runs and throws a {@link LabException} naming the command when it fails. */
    public static CommandResult runChecked(List<String> argv) {
        return run(argv).orThrow();
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
