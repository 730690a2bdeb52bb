package io.carpoperator.carp;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Keeps one ucarp running: restarts it after every exit with exponential back-off (0.5 s doubling up to 30 s,
 * back to 0.5 s once a run has lasted 60 s) and, because a SIGKILLed or crashed ucarp leaves its VIP
 * configured, removes the address itself whenever ucarp is not running as MASTER: the moment it exits (before its
 * remaining output is read, so another node is never kept sharing the address for longer than an {@code ip addr del}),
 * and on every switch to BACKUP. A master that exits or is stopped gets its down hook run here, as ucarp would have. ucarp 1.5.2 also exits when its interface goes down ("exiting: pfds[0].revents = 8")
 * and never rejoins by itself, which this restart covers.
 */
public final class UcarpSupervisor {

    public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration STABLE_RUN = Duration.ofSeconds(60);
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** What the supervisor reports, e.g. to the agent's status reporter; called on ucarp's reader threads. */
    public interface Listener {
        void onEvent(UcarpEvent event);

        /** ucarp exited while it should run; it will be started again in {@code restartIn}. */
        default void onCrash(int exitCode, Duration restartIn) {
        }
    }

    private static final Logger LOG = Logger.getLogger(UcarpSupervisor.class);

    private final UcarpConfig config;
    private final List<String> argv;
    private final UcarpInstance.Launcher launcher;
    private final AddressControl addresses;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Listener listener;
    private final String label;

    private boolean wanted;
    private int generation;
    private UcarpInstance current;
    private Instant startedAt;
    private final Duration initialBackoff;
    private Duration nextBackoff;
    private ScheduledFuture<?> pendingRestart;
    private int restarts;
    private int starts;

    /** @param argv the full command, e.g. {@link UcarpCommandLine#of(UcarpConfig)}, possibly behind {@code ip netns exec} */
    public UcarpSupervisor(UcarpConfig config, List<String> argv, UcarpInstance.Launcher launcher, AddressControl addresses,
                           ScheduledExecutorService scheduler, Clock clock, Listener listener) {
        this(config, argv, launcher, addresses, scheduler, clock, listener, INITIAL_BACKOFF);
    }

    /**
     * @param initialBackoff the first restart delay; a longer one lets the backups settle on a new master before a
     *                       crashed ucarp rejoins, so it does not race them for the VIP with a fresh timer
     */
    public UcarpSupervisor(UcarpConfig config, List<String> argv, UcarpInstance.Launcher launcher, AddressControl addresses,
                           ScheduledExecutorService scheduler, Clock clock, Listener listener, Duration initialBackoff) {
        this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
        this.nextBackoff = initialBackoff;
        this.config = Objects.requireNonNull(config, "config");
        this.argv = List.copyOf(argv);
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.label = config.label();
    }

    /** Starts ucarp now, unless it already runs or a restart is pending. */
    public synchronized void start() {
        if (wanted) {
            return;
        }
        wanted = true;
        nextBackoff = initialBackoff;
        launch();
    }

    /** No more restarts; hands back the running instance (or null) for the caller to end. */
    private synchronized UcarpInstance detach() {
        wanted = false;
        cancelPendingRestart();
        UcarpInstance running = current;
        current = null;
        generation++;
        return running;
    }

    /**
     * Stops taking part in CARP: SIGKILL (ucarp runs behind the {@link SignalShield} and does not act on SIGTERM),
     * then the down hook when it was MASTER, as ucarp itself would have run it, and makes sure the address is gone.
     * Blocks until ucarp has exited (at most {@link #STOP_GRACE}).
     */
    public void stop() {
        UcarpInstance running = detach();
        if (running != null && running.isAlive()) {
            UcarpState last = running.state();
            LOG.infof("%s: stopping ucarp pid %d (%s)", label, running.pid(), last);
            running.stop(STOP_GRACE);
            if (last == UcarpState.MASTER) {
                runDownHook("ucarp stopped as MASTER");
            }
        }
        removeAddress("ucarp stopped");
    }

    /**
     * SIGKILL, for a ucarp that must not send one more advert (e.g. frozen by a graceful handover): no down hook
     * runs, so the address is removed here; no restart follows.
     */
    public void kill() {
        UcarpInstance running = detach();
        if (running != null && running.isAlive()) {
            LOG.infof("%s: killing ucarp pid %d", label, running.pid());
            running.kill();
        }
        removeAddress("ucarp killed");
    }

    /** The pid of the running ucarp, if any. */
    public synchronized OptionalLong pid() {
        return current != null && current.isAlive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
    }

    /** SIGUSR2: hand the VIP to a backup at once; ucarp keeps running as BACKUP. */
    public void demote() throws IOException {
        UcarpInstance running;
        synchronized (this) {
            running = current;
        }
        if (running != null && running.isAlive()) {
            LOG.infof("%s: demoting ucarp pid %d to BACKUP", label, running.pid());
            running.demote();
        }
    }

    /** The state ucarp last reported; INIT when it is not running. */
    public synchronized UcarpState state() {
        return current == null ? UcarpState.INIT : current.state();
    }

    public synchronized boolean isRunning() {
        return current != null && current.isAlive();
    }

    /** How many times ucarp has been started again after it exited on its own. */
    public synchronized int restarts() {
        return restarts;
    }

    private void launch() {
        int launchGeneration;
        synchronized (this) {
            if (!wanted) {
                return;
            }
            pendingRestart = null;
            launchGeneration = ++generation;
            if (starts++ > 0) {
                restarts++;
            }
            startedAt = clock.instant();
        }
        try {
            UcarpInstance instance = launcher.start(label, argv, new InstanceListener(launchGeneration));
            synchronized (this) {
                if (generation == launchGeneration && wanted) {
                    current = instance;
                    LOG.infof("%s: ucarp started (pid %d)", label, instance.pid());
                    return;
                }
            }
            instance.stop(STOP_GRACE);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("%s: cannot start ucarp: %s", label, e.getMessage());
            crashed(launchGeneration, -1);
        }
    }

    private void crashed(int exitedGeneration, int exitCode) {
        Duration delay;
        synchronized (this) {
            if (exitedGeneration != generation) {
                return;
            }
            current = null;
            if (!wanted) {
                return;
            }
            Duration ranFor = Duration.between(startedAt, clock.instant());
            if (ranFor.compareTo(STABLE_RUN) >= 0) {
                nextBackoff = initialBackoff;
            }
            delay = nextBackoff;
            nextBackoff = min(nextBackoff.multipliedBy(2), MAX_BACKOFF);
            LOG.warnf("%s: ucarp exited with code %d after %s, restart %d in %s", label, exitCode,
                    human(ranFor), restarts + 1, human(delay));
            pendingRestart = scheduler.schedule(this::launch, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            listener.onCrash(exitCode, delay);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: listener failed on crash", label);
        }
    }

    /** ucarp is gone: the address goes at once, with the down hook when it was master. */
    private void gone(int goneGeneration, UcarpState last, int exitCode) {
        synchronized (this) {
            if (goneGeneration != generation) {
                return;
            }
        }
        String why = "ucarp exited with code " + exitCode + " as " + last;
        if (last == UcarpState.MASTER) {
            runDownHook(why);
        }
        removeAddress(why);
    }

    private void runDownHook(String why) {
        try {
            addresses.runDownHook(config);
            LOG.infof("%s: ran the down hook (%s)", label, why);
        } catch (IOException e) {
            LOG.errorf("%s: the down hook failed (%s): %s", label, why, e.getMessage());
        }
    }

    private void removeAddress(String why) {
        try {
            if (addresses.remove(config.interfaceName(), config.virtualAddress(), config.prefixLength())) {
                LOG.infof("%s: removed %s/%d from %s: %s", label, config.virtualAddress(), config.prefixLength(),
                        config.interfaceName(), why);
            }
        } catch (IOException e) {
            LOG.errorf("%s: cannot remove %s from %s (%s): %s", label, config.virtualAddress(), config.interfaceName(),
                    why, e.getMessage());
        }
    }

    private void cancelPendingRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    private final class InstanceListener implements UcarpInstance.Listener {
        private final int instanceGeneration;

        InstanceListener(int instanceGeneration) {
            this.instanceGeneration = instanceGeneration;
        }

        @Override
        public void onEvent(UcarpEvent event) {
            synchronized (UcarpSupervisor.this) {
                if (instanceGeneration != generation) {
                    return;
                }
            }
            if (event instanceof UcarpEvent.StateChanged changed) {
                last = changed.state();
                LOG.infof("%s: ucarp switched to %s", label, changed.state());
                if (changed.state() == UcarpState.BACKUP) {
                    removeAddress("ucarp is BACKUP");
                }
            } else if (event instanceof UcarpEvent.AuthenticationFailed failed) {
                LOG.warnf("%s: CARP advert rejected, another node uses a different password or address: %s", label, failed.message());
            } else if (event instanceof UcarpEvent.Exiting exiting) {
                LOG.warnf("%s: ucarp is exiting: %s", label, exiting.reason());
            } else if (event instanceof UcarpEvent.Other other && other.isError()) {
                LOG.errorf("%s: ucarp: %s", label, other.message());
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: listener failed on %s", label, event);
            }
        }

        private volatile UcarpState last = UcarpState.INIT;

        @Override
        public void onGone(int exitCode) {
            gone(instanceGeneration, last, exitCode);
        }

        @Override
        public void onExit(int exitCode) {
            crashed(instanceGeneration, exitCode);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String human(Duration d) {
        long millis = d.toMillis();
        return millis < 10_000 ? millis + "ms" : (millis / 1000) + "s";
    }
}
