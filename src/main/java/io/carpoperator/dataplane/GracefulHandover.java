package io.carpoperator.dataplane;

import io.carpoperator.carp.UcarpCommandLine;
import io.carpoperator.carp.UcarpConfig;
import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpInstance;
import io.carpoperator.carp.UcarpState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

/**
 * Makes a backup take over from this master at once, which plain ucarp 1.5.2 cannot: SIGTERM and SIGUSR2 both
 * leave the backup waiting about three advert intervals (measured: ≈2.4 s of client outage).
 *
 * <p>A backup takes over immediately when it hears an authentic advert with worse timing than its own (with
 * {@code -P}) or with an advbase above its own advbase × dead ratio (without). Java cannot send such an advert
 * (no raw sockets before FFM), so a second, short-lived "helper" ucarp does: same interface, source, vhid,
 * password and VIP, advertising {@code advskew 255} (and {@code 3 × advbase} without preempt), started with
 * {@code -n} so it leaves the address alone. It hears nobody (ucarp ignores adverts from its own source address,
 * which the real master shares), so after one of its own periods it declares itself MASTER. Its up hook
 * freezes the real master with SIGSTOP (no further advert, no "reassert" GARP) while the address stays
 * configured and keeps serving; then it sends its one advert, the backup becomes MASTER and sends GARP, the helper
 * hears the backup's better advert, goes BACKUP and its down hook removes the address here. The real master is
 * then killed with SIGKILL.
 *
 * <p>Latency is one helper period (its master-down timer is set to one period with {@code -r 1}): measured in the
 * lab 2 s to fire plus ≈1 s until the helper hears the new master with preempt at advbase 1, 4 s + 1 s without;
 * client outage ≈20 ms. If the helper does not fire in time, or no backup answers, the caller falls back to a plain
 * stop (the backups then take over after their master-down timer, as with plain ucarp).
 */
final class GracefulHandover {

    private static final Logger LOG = Logger.getLogger(GracefulHandover.class);

    static final int HELPER_SKEW = 255;
    /** Keep well inside Kubernetes' default 30 s termination grace period. */
    static final Duration MAX_FIRE_WAIT = Duration.ofSeconds(25);
    static final String UP_SUFFIX = "-handover-up.sh";
    static final String DOWN_SUFFIX = "-handover-down.sh";
    /** Kept back from the caller's budget for SIGKILL and {@code ip addr del} after the handover. */
    static final Duration CLEANUP_RESERVE = Duration.ofMillis(500);

    /** How the handover ended. */
    enum Outcome {
        /** A backup took over while the address was still here; the real master is frozen and must be killed. */
        HANDED_OVER("stopped after handing the VIP over to a backup"),
        /** The helper froze the real master but no backup answered in time; kill it and remove the address. */
        FROZEN_WITHOUT_TAKEOVER("stopped; no backup took the VIP over"),
        /** The helper never fired (or could not start); the real master runs untouched: stop it the plain way. */
        NOT_FIRED("stopped without a fast handover (a backup takes over after its master-down timer)");

        private final String stopped;

        Outcome(String stopped) {
            this.stopped = stopped;
        }

        /** The real master is frozen: only a kill ends it. */
        boolean frozeMaster() {
            return this != NOT_FIRED;
        }

        /** How the stop went, for its log line and report. */
        String stopped() {
            return stopped;
        }
    }

    private final String label;
    private final UcarpConfig master;
    private final DataPlaneEnvironment env;
    private final Path scriptBase;

    GracefulHandover(String label, UcarpConfig master, DataPlaneEnvironment env, String fileStem) {
        this.label = label;
        this.master = master;
        this.env = env;
        this.scriptBase = env.runDir().resolve(fileStem);
    }

    /** The helper's advbase: worse than any backup's own timing (with preempt), or beyond its dead ratio of 3 (without). */
    static int helperAdvbase(int advbase, boolean preempt) {
        return preempt ? advbase : Math.min(255, 3 * advbase);
    }

    /** How long the helper may take to fire: measured one period; three (poll() wake-ups can miss one) plus a second. */
    static Duration fireDeadline(int advbase, boolean preempt) {
        long periodMillis = helperAdvbase(advbase, preempt) * 1000L + HELPER_SKEW * 1000L / 256;
        return Duration.ofMillis(3 * periodMillis + 1000);
    }

    /** From the helper's advert to it hearing the new master: the backup's and the helper's capture delays (≤1 s each) and one advert. */
    static Duration takeoverDeadline(int advbase) {
        return Duration.ofSeconds(advbase + 3L);
    }

    static boolean feasible(int advbase, boolean preempt) {
        return fireDeadline(advbase, preempt).compareTo(MAX_FIRE_WAIT) <= 0;
    }

    /** What the helper needs at least: one of its periods to fire, then a second for a backup to answer. */
    static Duration minimumBudget(int advbase, boolean preempt) {
        return Duration.ofMillis(helperAdvbase(advbase, preempt) * 1000L + HELPER_SKEW * 1000L / 256)
                .plus(Duration.ofSeconds(1)).plus(CLEANUP_RESERVE);
    }

    UcarpConfig helperConfig(Path up, Path down) {
        return new UcarpConfig(master.interfaceName(), master.sourceAddress(), master.vhid(), master.passfile(),
                master.virtualAddress(), master.prefixLength(), helperAdvbase(master.advbase(), master.preempt()),
                HELPER_SKEW, false, true, up, down, null);
    }

    /** ucarp's argv plus {@code -r 1}: the helper's master-down timer then expires after one of its own periods, not three. */
    static List<String> helperCommandLine(UcarpConfig config) {
        List<String> argv = new ArrayList<>(UcarpCommandLine.of(config));
        argv.addAll(List.of("-r", "1"));
        return argv;
    }

    static String upScript(OptionalLong masterPid) {
        if (masterPid.isEmpty()) {
            return """
                    #!/bin/sh
                    # carp-operator handover helper, up hook: the real master has already exited; nothing to freeze.
                    exit 0
                    """;
        }
        return """
                #!/bin/sh
                # carp-operator handover helper, up hook: freeze the real master so it sends no further advert and no
                # "reassert" GARP; the address stays and keeps serving until a backup has taken over.
                kill -STOP %d 2>/dev/null
                exit 0
                """.formatted(masterPid.getAsLong());
    }

    static String downScript(String vip, int prefixLength) {
        return """
                #!/bin/sh
                # carp-operator handover helper, down hook: a backup advertised as the new master; let go of the address.
                ip addr del %s/%d dev "$1" 2>/dev/null
                exit 0
                """.formatted(vip, prefixLength);
    }

    /**
     * Runs the helper and waits for it, never past {@code deadline} (less {@link #CLEANUP_RESERVE}); never throws.
     *
     * @param masterPid the real master to freeze, or empty when it has already exited as master (the helper still
     *                  makes a backup take over at once instead of after its master-down timer)
     * @param deadline  {@link System#nanoTime()} by which the caller must be done, killing included
     */
    Outcome run(OptionalLong masterPid, long deadline) {
        if (!feasible(master.advbase(), master.preempt())) {
            LOG.infof("%s: advbase %d is too slow for a helper-driven handover within %ds; stopping the plain way",
                    label, master.advbase(), MAX_FIRE_WAIT.toSeconds());
            return Outcome.NOT_FIRED;
        }
        Duration budget = Duration.ofNanos(deadline - System.nanoTime());
        if (budget.compareTo(minimumBudget(master.advbase(), master.preempt())) < 0) {
            LOG.warnf("%s: %dms left of the shutdown budget, too little for a handover (needs %dms); stopping the plain way",
                    label, Math.max(0, budget.toMillis()), minimumBudget(master.advbase(), master.preempt()).toMillis());
            return Outcome.NOT_FIRED;
        }
        CompletableFuture<Void> fired = new CompletableFuture<>();
        CompletableFuture<Void> takenOver = new CompletableFuture<>();
        UcarpInstance helper = null;
        Path up = Path.of(scriptBase + UP_SUFFIX);
        Path down = Path.of(scriptBase + DOWN_SUFFIX);
        long started = System.nanoTime();
        try {
            writeExecutable(up, upScript(masterPid));
            writeExecutable(down, downScript(master.virtualAddress(), master.prefixLength()));
            UcarpConfig config = helperConfig(up, down);
            LOG.infof("%s: handing over: helper ucarp advertises advbase %d advskew %d so a backup takes over at once",
                    label, config.advbase(), config.advskew());
            helper = env.launcher().start(label + " handover", env.prefixed(helperCommandLine(config)),
                    new UcarpInstance.Listener() {
                        @Override
                        public void onEvent(UcarpEvent event) {
                            if (event instanceof UcarpEvent.StateChanged changed) {
                                if (changed.state() == UcarpState.MASTER) {
                                    fired.complete(null);
                                } else if (changed.state() == UcarpState.BACKUP && fired.isDone()) {
                                    takenOver.complete(null);
                                }
                            }
                        }

                        @Override
                        public void onGone(int exitCode) {
                            // the helper configures no address (-n): nothing to release at once
                        }

                        @Override
                        public void onExit(int exitCode) {
                            fired.completeExceptionally(new IOException("helper ucarp exited with code " + exitCode));
                        }
                    });
            Duration fireWait = within(fireDeadline(master.advbase(), master.preempt()), deadline);
            if (!await(fired, fireWait, "the helper to advertise")) {
                return Outcome.NOT_FIRED;
            }
            long firedAt = System.nanoTime();
            if (!await(takenOver, within(takeoverDeadline(master.advbase()), deadline), "a backup to take over")) {
                return Outcome.FROZEN_WITHOUT_TAKEOVER;
            }
            LOG.infof("%s: handed over: helper fired after %dms, a backup took over %dms later", label,
                    TimeUnit.NANOSECONDS.toMillis(firedAt - started), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firedAt));
            return Outcome.HANDED_OVER;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: handover helper failed, stopping the plain way: %s", label, e.getMessage());
            return fired.isDone() && !fired.isCompletedExceptionally() ? Outcome.FROZEN_WITHOUT_TAKEOVER : Outcome.NOT_FIRED;
        } finally {
            if (helper != null) {
                helper.kill();
            }
            deleteQuietly(up);
            deleteQuietly(down);
        }
    }

    /** {@code wait}, cut short so that {@link #CLEANUP_RESERVE} is left before {@code deadline}. */
    static Duration within(Duration wait, long deadline) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime()).minus(CLEANUP_RESERVE);
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(left) <= 0 ? wait : left;
    }

    private boolean await(CompletableFuture<Void> future, Duration timeout, String what) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warnf("%s: handover: gave up waiting for %s after %dms", label, what, timeout.toMillis());
        } catch (ExecutionException e) {
            LOG.warnf("%s: handover: %s", label, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("%s: handover interrupted while waiting for %s", label, what);
        }
        return false;
    }

    static void writeExecutable(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover script in the run directory is harmless and overwritten next time
        }
    }
}
