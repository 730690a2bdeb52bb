package io.carpoperator.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Keeps the node's one wire helper ({@code carp-wire.pl}, see {@link WireProcess}) running and hands what it reports to
 * its {@link Listener}s: instead of a ping or arping process per probe, one long-lived process that sends and receives
 * raw packets for every VIP of the node.
 *
 * <h2>Protocol</h2>
 * One command per line on the helper's stdin, one event per line on its stdout. IDs are request numbers of at most 18
 * decimal digits chosen here ({@link #nextRequestId()}), ADDRESS a dotted-quad IPv4 address, IFACE an interface name.
 * <pre>
 * icmp ID ADDRESS          one ICMP echo request (identifier: random per helper, sequence: ID &amp; 0xffff)
 * arp ID IFACE ADDRESS     one ARP request on IFACE, from the address IFACE would use towards ADDRESS
 * dad ID IFACE ADDRESS     one ARP probe (RFC 5227, sender 0.0.0.0): who else answers for ADDRESS?
 * cancel ID                stop waiting for replies to ID
 * listen IFACE             report CARP/VRRP adverts (IP protocol 112) arriving on IFACE; joins 224.0.0.18 there
 * unlisten IFACE           stop that
 * quit                     exit 0 (so does the end of stdin)
 *
 * ready PID                the helper runs
 * icmp ID FROM             the echo reply to ID
 * arp ID ADDRESS MAC       a reply to arp ID (the first only) or dad ID (all, until cancelled), never from our own MACs
 * listening IFACE          adverts on IFACE are reported from now on
 * carp IFACE SRC TTL HEX   a protocol-112 packet; HEX: its payload after the IP header (a CARP advert: 36 bytes)
 * error ID MESSAGE         ID failed; ID is '-' when the error belongs to no request
 * </pre>
 * Timestamps are taken here: a request's when its line is written, an event's when its line arrives
 * ({@link #nanoTime()}). A bad command line only earns an {@code error}; the helper forgets uncancelled requests after
 * a minute.
 *
 * <h2>Restarts</h2>
 * When the helper exits it is started again after a back-off (0.5 s doubling up to 30 s, back to 0.5 s once a run has
 * lasted 60 s), each exit logged with its code and perl's last complaint. Listeners hear {@link Listener#onStopped} at
 * the exit (requests in flight will never be answered) and {@link Listener#onStarted} when a new helper runs (state
 * the helper had, such as listening sockets, must be asked for again). A generation number guards against reports of
 * a helper that is no longer the current one.
 */
public final class WireHelper implements AutoCloseable {

    public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration STABLE_RUN = Duration.ofSeconds(60);

    private static final Logger LOG = Logger.getLogger(WireHelper.class);

    /** What a wire helper user hears; every method may be called on the helper's reader thread and must not block. */
    public interface Listener {
        /** One event; {@code arrivedNanos} is when its line arrived, on {@link #nanoTime()}'s clock. */
        void onEvent(WireEvent event, long arrivedNanos);

        /** A new helper process runs; commands sent from now on reach it. */
        default void onStarted() {
        }

        /** The helper process is gone (or closed): nothing sent to it will be answered. */
        default void onStopped(String reason) {
        }
    }

    public enum State {
        NEW,
        RUNNING,
        WAITING_TO_RESTART,
        CLOSED
    }

    enum Input {
        START,
        EXITED,
        RESTART_DUE,
        CLOSE
    }

    enum Action {
        NONE,
        LAUNCH,
        SCHEDULE_RESTART,
        STOP
    }

    record Transition(State next, Action action) {
    }

    /** The whole life of a helper; everything else here carries out the action this returns. */
    static Transition next(State state, Input input) {
        if (state == State.CLOSED) {
            return new Transition(State.CLOSED, Action.NONE);
        }
        return switch (input) {
            case CLOSE -> new Transition(State.CLOSED, Action.STOP);
            case START -> state == State.NEW ? new Transition(State.RUNNING, Action.LAUNCH) : stay(state);
            case EXITED -> state == State.RUNNING ? new Transition(State.WAITING_TO_RESTART, Action.SCHEDULE_RESTART) : stay(state);
            case RESTART_DUE -> state == State.WAITING_TO_RESTART ? new Transition(State.RUNNING, Action.LAUNCH) : stay(state);
        };
    }

    private static Transition stay(State state) {
        return new Transition(state, Action.NONE);
    }

    private final String label;
    private final WireChannel.Launcher launcher;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();

    private State state = State.NEW;
    private volatile int generation;
    private WireChannel channel;
    private long startedNanos;
    private Duration nextBackoff = INITIAL_BACKOFF;
    private ScheduledFuture<?> pendingRestart;
    private String lastExit;
    private volatile String lastDiagnostic;
    private int restarts;

    /** @param label names the node (or lab namespace) in log lines, e.g. {@code node worker-1} */
    public WireHelper(String label, WireChannel.Launcher launcher, ScheduledExecutorService scheduler) {
        this(label, launcher, scheduler, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds: {@code System::nanoTime}, or a test's */
    public WireHelper(String label, WireChannel.Launcher launcher, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this.label = Objects.requireNonNull(label, "label");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Listeners added before {@link #start()} hear the first {@link Listener#onStarted()}. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void start() {
        int launchGeneration;
        synchronized (this) {
            Transition transition = next(state, Input.START);
            state = transition.next();
            if (transition.action() != Action.LAUNCH) {
                return;
            }
            launchGeneration = ++generation;
        }
        launch(launchGeneration);
    }

    /** Writes one command line; throws, saying why, when no helper runs or the write fails. */
    public void send(String line) throws IOException {
        WireChannel running;
        synchronized (this) {
            running = channel;
            if (state != State.RUNNING || running == null) {
                throw new IOException(notRunningReason());
            }
        }
        try {
            running.send(line);
        } catch (IOException e) {
            throw new IOException("cannot write to the wire helper for " + label + ": " + e.getMessage(), e);
        }
    }

    /** A number no other request of this helper (or of the helpers before it) has used. */
    public long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** The clock event arrival times are taken on. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    public String label() {
        return label;
    }

    public synchronized State state() {
        return state;
    }

    /** How many times the helper was started again after it exited. */
    public synchronized int restarts() {
        return restarts;
    }

    public synchronized OptionalLong pid() {
        return channel == null ? OptionalLong.empty() : OptionalLong.of(channel.pid());
    }

    /** Stops the helper for good (it gets a second to quit, then SIGKILL); no restart follows. */
    @Override
    public void close() {
        WireChannel running;
        synchronized (this) {
            Transition transition = next(state, Input.CLOSE);
            state = transition.next();
            if (transition.action() != Action.STOP) {
                return;
            }
            generation++;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
                pendingRestart = null;
            }
            running = channel;
            channel = null;
        }
        if (running != null) {
            running.close();
            LOG.infof("wire helper for %s (pid %d) closed", label, running.pid());
        }
        tellStopped("the wire helper for " + label + " was closed");
    }

    private void launch(int launchGeneration) {
        synchronized (this) {
            startedNanos = nanoTime.getAsLong();
            lastDiagnostic = null;
        }
        WireChannel started;
        try {
            started = launcher.start(new ChannelListener(launchGeneration));
        } catch (IOException | RuntimeException e) {
            exited(launchGeneration, "could not be started: " + e.getMessage());
            return;
        }
        boolean current;
        synchronized (this) {
            current = generation == launchGeneration && state == State.RUNNING;
            if (current) {
                channel = started;
            }
        }
        if (!current) {
            // Closed meanwhile, or already exited (then its exit report has run and a restart is planned).
            started.close();
            return;
        }
        LOG.infof("wire helper for %s started (pid %d)", label, started.pid());
        for (Listener listener : listeners) {
            try {
                listener.onStarted();
            } catch (RuntimeException e) {
                LOG.errorf(e, "wire helper for %s: a listener failed on start", label);
            }
        }
    }

    private void exited(int exitedGeneration, String reason) {
        Duration delay;
        long ranNanos;
        int restart;
        synchronized (this) {
            if (exitedGeneration != generation) {
                return;
            }
            Transition transition = next(state, Input.EXITED);
            state = transition.next();
            channel = null;
            if (transition.action() != Action.SCHEDULE_RESTART) {
                return;
            }
            ranNanos = nanoTime.getAsLong() - startedNanos;
            if (ranNanos >= STABLE_RUN.toNanos()) {
                nextBackoff = INITIAL_BACKOFF;
            }
            delay = nextBackoff;
            nextBackoff = nextBackoff.multipliedBy(2).compareTo(MAX_BACKOFF) <= 0 ? nextBackoff.multipliedBy(2) : MAX_BACKOFF;
            restart = ++restarts;
            lastExit = reason;
        }
        LOG.warnf("wire helper for %s %s after %s; restart %d in %s", label, reason, human(Duration.ofNanos(ranNanos)),
                restart, human(delay));
        // Listeners first: a restart must not overtake the news that the old helper is gone.
        tellStopped("the wire helper for " + label + " " + reason);
        synchronized (this) {
            if (state == State.WAITING_TO_RESTART && generation == exitedGeneration) {
                pendingRestart = scheduler.schedule(() -> restartDue(exitedGeneration), delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private void restartDue(int exitedGeneration) {
        int launchGeneration;
        synchronized (this) {
            if (exitedGeneration != generation) {
                return;
            }
            Transition transition = next(state, Input.RESTART_DUE);
            state = transition.next();
            if (transition.action() != Action.LAUNCH) {
                return;
            }
            pendingRestart = null;
            launchGeneration = ++generation;
        }
        launch(launchGeneration);
    }

    private void tellStopped(String reason) {
        for (Listener listener : listeners) {
            try {
                listener.onStopped(reason);
            } catch (RuntimeException e) {
                LOG.errorf(e, "wire helper for %s: a listener failed on stop", label);
            }
        }
    }

    private synchronized String notRunningReason() {
        return switch (state) {
            case NEW -> "the wire helper for " + label + " has not been started";
            case CLOSED -> "the wire helper for " + label + " is closed";
            case WAITING_TO_RESTART -> "the wire helper for " + label + " " + lastExit + " and is waiting to restart";
            case RUNNING -> "the wire helper for " + label + " is still starting";
        };
    }

    private void dispatch(WireEvent event, long arrivedNanos) {
        if (event instanceof WireEvent.Ready ready) {
            LOG.debugf("wire helper for %s is ready (pid %d)", label, ready.pid());
        } else if (event instanceof WireEvent.Unrecognized unrecognized) {
            LOG.warnf("wire helper for %s wrote a line this agent does not understand (%s): %s", label,
                    unrecognized.why(), unrecognized.line());
        }
        for (Listener listener : listeners) {
            try {
                listener.onEvent(event, arrivedNanos);
            } catch (RuntimeException e) {
                LOG.errorf(e, "wire helper for %s: a listener failed on %s", label, event);
            }
        }
    }

    private final class ChannelListener implements WireChannel.Listener {
        private final int channelGeneration;

        ChannelListener(int channelGeneration) {
            this.channelGeneration = channelGeneration;
        }

        @Override
        public void onLine(String line) {
            long arrived = nanoTime.getAsLong();
            if (channelGeneration == generation) {
                dispatch(WireEvent.parse(line), arrived);
            }
        }

        @Override
        public void onDiagnostic(String line) {
            if (channelGeneration == generation) {
                lastDiagnostic = line;
                LOG.warnf("wire helper for %s: %s", label, line);
            }
        }

        @Override
        public void onExit(int exitCode) {
            String diagnostic = lastDiagnostic;
            exited(channelGeneration, "exited with code " + exitCode + (diagnostic == null ? "" : " (" + diagnostic + ")"));
        }
    }

    private static String human(Duration d) {
        long millis = d.toMillis();
        return millis < 10_000 ? millis + "ms" : (millis / 1000) + "s";
    }
}
