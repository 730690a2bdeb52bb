package io.carpoperator.carp;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes with {@code LC_ALL=C}, killing them after a timeout. */
public final class ProcessCommandRunner implements CommandRunner {

    /** Pipe readers; daemon threads so a stuck pipe never keeps the JVM alive. */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "command-output-reader");
        t.setDaemon(true);
        return t;
    });

    private final List<String> prefix;
    private final Duration timeout;

    public ProcessCommandRunner() {
        this(List.of(), Duration.ofSeconds(5));
    }

    /** @param prefix prepended to every command, e.g. {@code ip netns exec NODE} in the lab */
    public ProcessCommandRunner(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
    }

    @Override
    public Result run(List<String> argv) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
        CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("command timed out after " + timeout.toMillis() + "ms: " + String.join(" ", command));
            }
            return new Result(process.exitValue(),
                    new String(stdout.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(stderr.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a background child (e.g. arping from a hook) may keep the pipe open; the exit code is what counts
            return new Result(process.exitValue(), "", "");
        }
    }

    private static CompletableFuture<byte[]> readAsync(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, READERS);
    }
}
