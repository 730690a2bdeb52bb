package io.carpoperator.carp;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * One foreground ucarp child. Its output is read line by line on two daemon threads (ucarp prints WARNING and
 * ERROR lines, including "Switching to state", to stderr and the rest to stdout) and parsed into
 * {@link UcarpEvent}s. ucarp's stdout is block-buffered when piped and lost on its {@code _exit}, so the
 * command runs under {@code stdbuf -oL -eL}, behind the {@link SignalShield} (own session, termination signals
 * blocked); the shield, {@code stdbuf} and {@code ip netns exec} all exec, so the pid we hold is ucarp's own.
 * Exit callbacks run on a small executor of their own, never on the common pool (one thread on a 2-core node).
 */
public final class UcarpProcess implements UcarpInstance {

    private static final Logger LOG = Logger.getLogger(UcarpProcess.class);
    private static final List<String> LINE_BUFFERED = List.of("stdbuf", "-oL", "-eL");
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofMillis(500);
    /** Runs exit callbacks, which block (removing the address, draining output); idle threads end after a minute. */
    private static final ExecutorService EXIT_CALLBACKS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "ucarp-exit");
                thread.setDaemon(true);
                return thread;
            });

    private final String label;
    private final Process process;
    private final Listener listener;
    private final CommandRunner signals;
    private final List<Thread> readers = new ArrayList<>();
    private volatile UcarpState state = UcarpState.INIT;

    private UcarpProcess(String label, Process process, Listener listener, CommandRunner signals) {
        this.label = label;
        this.process = process;
        this.listener = listener;
        this.signals = signals;
    }

    /** The {@link UcarpInstance.Launcher} for real processes. */
    public static Launcher launcher() {
        return launcher(Map.of());
    }

    /** Real processes with these variables added to their environment (e.g. {@link ImmediateCapture#environment}). */
    public static Launcher launcher(Map<String, String> environment) {
        Map<String, String> extra = Map.copyOf(environment);
        return (label, argv, listener) -> start(label, argv, listener, new ProcessCommandRunner(), extra);
    }

    /**
     * Starts {@code argv} (e.g. from {@link UcarpCommandLine}, possibly behind {@code ip netns exec NODE}) with
     * {@code LC_ALL=C}.
     *
     * @param label identifies the instance in log lines and thread names, e.g. "vip 198.51.100.10 vhid 99"
     */
    public static UcarpProcess start(String label, List<String> argv, Listener listener) throws IOException {
        return start(label, argv, listener, new ProcessCommandRunner(), Map.of());
    }

    static UcarpProcess start(String label, List<String> argv, Listener listener, CommandRunner signals,
                              Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(LINE_BUFFERED);
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(SignalShield.wrap(command));
        builder.environment().putAll(environment);
        builder.environment().put("LC_ALL", "C");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // one reader thread per ucarp, not two: ucarp's WARNING/ERROR lines (stderr) and INFO lines (stdout) parse alike,
        // and with a hundred VIPs every thread saved is memory saved
        builder.redirectErrorStream(true);
        UcarpProcess ucarp = new UcarpProcess(label, builder.start(), Objects.requireNonNull(listener, "listener"), signals);
        ucarp.readers.add(ucarp.reader(ucarp.process.getInputStream(), "output"));
        ucarp.readers.forEach(Thread::start);
        ucarp.process.onExit().thenRunAsync(ucarp::exited, EXIT_CALLBACKS);
        LOG.debugf("%s: started ucarp pid %d: %s", label, ucarp.pid(), String.join(" ", argv));
        return ucarp;
    }

    private Thread reader(InputStream stream, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    LOG.debugf("%s: ucarp[%d] %s", label, pid(), line);
                    UcarpLogParser.parse(line).ifPresent(this::deliver);
                }
            } catch (IOException e) {
                LOG.debugf("%s: ucarp %s closed: %s", label, name, e.getMessage());
            }
        }, "ucarp-" + label.replace(' ', '-') + "-" + name);
        thread.setDaemon(true);
        return thread;
    }

    private void deliver(UcarpEvent event) {
        if (event instanceof UcarpEvent.StateChanged changed) {
            state = changed.state();
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: listener failed on %s", label, event);
        }
    }

    private void exited() {
        try {
            listener.onGone(process.exitValue());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: listener failed on exit", label);
        }
        // a hook's background child (arping) may hold the pipes open a little longer; do not wait for it
        long deadline = System.nanoTime() + DRAIN_AFTER_EXIT.toNanos();
        for (Thread reader : readers) {
            try {
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        state = UcarpState.INIT;
        try {
            listener.onExit(process.exitValue());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: listener failed on exit", label);
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public UcarpState state() {
        return state;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void demote() throws IOException {
        // Java can only send SIGTERM and SIGKILL itself
        CommandRunner.Result result = signals.run(List.of("kill", "-USR2", Long.toString(pid())));
        if (!result.ok()) {
            throw new IOException("kill -USR2 " + pid() + " failed with exit " + result.exitCode() + ": " + result.stderr().strip());
        }
    }

    @Override
    public boolean stop(Duration grace) {
        process.destroyForcibly();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.warnf("%s: ucarp pid %d has not exited within %dms of SIGKILL", label, pid(), grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to exit; for tests and shutdown. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
