package io.carpoperator.wire;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real wire helper: {@code [PREFIX...] perl RUN_DIR/carp-wire.pl}, e.g. behind {@code ip netns exec NODE} in the
 * lab. The script is written (0700) into the run directory at every start, so a restart also heals a deleted copy.
 * stdout and stderr are read on two daemon threads of its own; the stdout thread reports the exit once stdout has
 * ended, never a {@code Process.onExit} callback (those run on the shared common pool).
 */
public final class WireProcess implements WireChannel {

    public static final String SCRIPT_NAME = "carp-wire.pl";
    static final Duration QUIT_GRACE = Duration.ofSeconds(1);
    /** How long the exit report waits for the last stderr lines, which usually say why perl gave up. */
    private static final Duration DIAGNOSTICS_GRACE = Duration.ofMillis(200);

    private final Process process;
    private final Writer stdin;

    private WireProcess(Process process) {
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
    }

    /** @param commandPrefix put in front of {@code perl}, e.g. {@code ip netns exec NODE}; empty on a node */
    public static Launcher launcher(Path runDirectory, List<String> commandPrefix) {
        Objects.requireNonNull(runDirectory, "runDirectory");
        List<String> prefix = List.copyOf(commandPrefix);
        return listener -> start(command(prefix, installScript(runDirectory)), listener);
    }

    static List<String> command(List<String> prefix, Path script) {
        List<String> argv = new ArrayList<>(prefix);
        argv.add("perl");
        argv.add(script.toString());
        return argv;
    }

    /** Writes the script into {@code runDirectory} (created if missing), owner-only and executable, atomically. */
    public static Path installScript(Path runDirectory) throws IOException {
        byte[] script;
        try (InputStream in = WireProcess.class.getResourceAsStream(SCRIPT_NAME)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT_NAME + " is missing beside " + WireProcess.class.getName());
            }
            script = in.readAllBytes();
        }
        Files.createDirectories(runDirectory);
        Path target = runDirectory.resolve(SCRIPT_NAME);
        Path temp = Files.createTempFile(runDirectory, "." + SCRIPT_NAME + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.write(temp, script);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    static WireProcess start(List<String> argv, Listener listener) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("LC_ALL", "C");
        WireProcess wire = new WireProcess(builder.start());
        long pid = wire.pid();
        Thread diagnostics = daemon("wire-stderr-" + pid, () -> readLines(wire.process.getErrorStream(), listener::onDiagnostic));
        daemon("wire-stdout-" + pid, () -> {
            readLines(wire.process.getInputStream(), listener::onLine);
            int exitCode = waitForExit(wire.process);
            joinQuietly(diagnostics);
            listener.onExit(exitCode);
        });
        return wire;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void send(String line) throws IOException {
        synchronized (stdin) {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        }
    }

    @Override
    public void close() {
        try {
            send(WireCommand.QUIT);
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException alreadyGone) {
            // Its stdin is closed: it has exited or is about to; the wait below settles which.
        }
        try {
            if (!process.waitFor(QUIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(QUIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void readLines(InputStream stream, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                sink.accept(line);
            }
        } catch (IOException closed) {
            // The pipe broke with the process; the exit report follows.
        }
    }

    private static int waitForExit(Process process) {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // A daemon reader is never interrupted on purpose; keep waiting for the exit it must report.
            }
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(DIAGNOSTICS_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
