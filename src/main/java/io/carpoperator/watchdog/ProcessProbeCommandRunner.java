package io.carpoperator.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs probe commands as child processes, killing them ({@code destroyForcibly}) at the deadline. */
public final class ProcessProbeCommandRunner implements ProbeCommandRunner {

    /**
     * Reads a finished probe's output. Not the common pool, where a plain {@code thenAccept} on {@code onExit()} would
     * run it: that pool has one thread on a 2-core node, the JDK completes every process's {@code onExit()} through it,
     * and a probe whose pipe a background child holds open would stall the exit of every other process, ucarp's included.
     */
    private static final ExecutorService EXITED = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "probe-exit");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledExecutorService timer;

    /** @param timer fires the deadline; the process exit itself is awaited by the JDK's reaper */
    public ProcessProbeCommandRunner(ScheduledExecutorService timer) {
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    @Override
    public CompletableFuture<Output> run(List<String> argv, Duration deadline) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("LC_ALL", "C");
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Output> result = new CompletableFuture<>();
        ScheduledFuture<?> kill = timer.schedule(() -> {
            if (result.complete(Output.timeout())) {
                process.destroyForcibly();
            }
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
        process.onExit().thenAcceptAsync(exited -> {
            kill.cancel(false);
            if (result.isDone()) {
                return;
            }
            try {
                result.complete(new Output(exited.exitValue(), read(exited.getInputStream()), read(exited.getErrorStream()), false));
            } catch (UncheckedIOException e) {
                result.completeExceptionally(e.getCause());
            }
        }, EXITED);
        return result;
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
