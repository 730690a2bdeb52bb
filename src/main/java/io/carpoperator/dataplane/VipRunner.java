package io.carpoperator.dataplane;

import io.carpoperator.api.NodeState;
import io.carpoperator.carp.AddressControl;
import io.carpoperator.carp.AddressHooks;
import io.carpoperator.carp.UcarpCommandLine;
import io.carpoperator.carp.UcarpConfig;
import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpSupervisor;
import io.carpoperator.watchdog.IsolationWatchdog;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

/**
 * The data plane of one VIP on this node: a supervised ucarp, its isolation watchdog, repeated gratuitous ARP while
 * master, and a graceful handover on shutdown. Every state change is logged in one line with its cause
 * ("vip web 198.51.100.10 vhid 99: BACKUP -> MASTER: ucarp switched to MASTER") and reported.
 *
 * <p>What the node is doing and whether ucarp should run is decided by {@link Participation} (pure); this class carries
 * out its steps. ucarp runs unless the runner is stopping, the watchdog has withdrawn it, or another node's adverts for
 * this vhid fail authentication while we are not master (someone else uses this vhid with another password or address;
 * we do not fight it). Actions run on the scheduler, one at a time.
 *
 * <p>Changes that leave ucarp's command line alone are applied in place ({@link #retune}): the watchdog and the
 * {@link GratuitousArpRepeater} take new settings; a new password is a rotation ({@link PasswordRotation}): a backup
 * restarts onto it at once and backs off only one advert period from the old master's adverts
 * ({@link ForeignAdvertBackOff}); a master keeps the VIP for 3 x advbase + 1 s and then restarts onto it without a
 * handover, leaving the VIP without a master for about one master-down timer.
 */
public final class VipRunner implements VipDataPlane {

    private static final Logger LOG = Logger.getLogger(VipRunner.class);

    /** Retry after the interface or source address could not be resolved, or the configuration was refused. */
    static final Duration RESOLVE_RETRY = Duration.ofSeconds(10);
    /** After backing off because of foreign adverts, try again this much later. */
    static final Duration AUTHENTICATION_RETRY = ForeignAdvertBackOff.NORMAL;
    /** How long a "Bad digest" waits for the wire watch to have heard the same advert. */
    static final Duration FOREIGN_ADVERT_SETTLE = Duration.ofMillis(150);
    /** A stop this soon after ucarp exited as master still hands over: the backup may be waiting on its timer. */
    static final Duration RECENT_MASTER = Duration.ofSeconds(10);

    /** Replaced by {@link #retune}; what ucarp's command line is made of never changes. */
    private volatile VipSettings settings;
    private final DataPlaneEnvironment env;
    private final Consumer<VipReport> onChange;
    private final UserHooks userHooks;
    private final RunFiles runFiles;
    private final String label;
    private final AddressControl addresses;
    private final Object actionLock = new Object();

    // resolved configuration; written once by setUp
    private volatile String interfaceName;
    private volatile String sourceAddress;
    private UcarpConfig ucarpConfig;
    private UcarpSupervisor supervisor;
    private final VipWatchdog watchdog;
    private final GratuitousArpRepeater gratuitousArp;
    private final ForeignAdvertBackOff foreignAdverts;
    private final PasswordRotation passwordRotation;
    private final WireWatch wireWatch;
    private ScheduledFuture<?> retry;
    private boolean ucarpWanted;

    // guarded by this
    private final Participation participation;
    private ProbeRound lastRound;
    private String lastProbeOutcome = "";

    private VipRunner(VipSettings settings, DataPlaneEnvironment env, Consumer<VipReport> onChange, UserHooks userHooks) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = Objects.requireNonNull(env, "env");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.userHooks = userHooks == null ? UserHooks.NONE : userHooks;
        this.runFiles = new RunFiles(env.runDir(), settings.name(), settings.vhid());
        this.label = "vip " + settings.name() + " " + settings.address() + " vhid " + settings.vhid();
        this.addresses = new AddressControl(env.commands());
        this.gratuitousArp = new GratuitousArpRepeater(label, env.scheduler(), env.clock(), this::isMaster,
                () -> {
                    if (!env.links().announce(interfaceName, this.settings.address())) {
                        addresses.sendGratuitousArp(interfaceName, this.settings.address());
                    }
                });
        this.foreignAdverts = new ForeignAdvertBackOff(env.scheduler(), env.clock(), settings.advbase(),
                this::retryAfterForeignAdverts);
        this.passwordRotation = new PasswordRotation(env.scheduler());
        this.participation = new Participation(env.clock(), foreignAdverts);
        this.watchdog = new VipWatchdog(label, settings, env, this::onRound);
        this.wireWatch = new WireWatch(label, env.links(), env.scheduler(), env.clock(), () -> this.settings,
                this::isMaster, () -> publish(report()));
    }

    /** Resolves what is missing, writes the passfile and hooks, and starts ucarp and the watchdog. */
    public static VipRunner start(VipSettings settings, Consumer<VipReport> onChange, DataPlaneEnvironment env) {
        return start(settings, onChange, env, UserHooks.NONE);
    }

    public static VipRunner start(VipSettings settings, Consumer<VipReport> onChange, DataPlaneEnvironment env,
                                  UserHooks userHooks) {
        VipRunner runner = new VipRunner(settings, env, onChange, userHooks);
        env.metrics().stateChanged(settings.name(), settings.address(), NodeState.INIT);
        LOG.infof("%s: starting", runner.label);
        runner.setUp();
        return runner;
    }

    public String label() {
        return label;
    }

    /** The interface ucarp runs on, once resolved. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The running ucarp's pid, e.g. for fault injection in tests. */
    public OptionalLong ucarpPid() {
        UcarpSupervisor s;
        synchronized (this) {
            s = supervisor;
        }
        return s == null ? OptionalLong.empty() : s.pid();
    }

    @Override
    public void updateTargets(List<String> newPeers, List<String> newHeartbeats) {
        watchdog.updateTargets(newPeers, newHeartbeats);
    }

    @Override
    public boolean retune(VipSettings next) {
        VipSettings was;
        boolean master;
        synchronized (this) {
            was = settings;
            if (!was.sameUcarpCommandLine(next)) {
                return false;
            }
            if (participation.isStopping()) {
                return true;
            }
            settings = next;
            master = participation.ucarpMaster();
        }
        if (!watchdog.retune(was, next, interfaceName)) { // isolation is off: a withdrawn node rejoins
            apply(Participation::isolationTurnedOff);
            reconcile();
        }
        gratuitousArp.schedule(next.gratuitousArpInterval());
        if (!Objects.equals(was.password(), next.password())) {
            wireWatch.passwordChanged(was.password());
            rotatePassword(master, next.advbase());
        }
        return true;
    }

    @Override
    public synchronized VipReport report() {
        return new VipReport(participation.state(), participation.since(), participation.reason(), sourceAddress, lastRound,
                supervisor == null ? 0 : supervisor.restarts(), wireWatch.conflicts());
    }

    @Override
    public void stop(boolean handOver, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        synchronized (this) {
            if (!participation.stopping()) {
                return;
            }
            cancel(retry);
        }
        gratuitousArp.cancel();
        foreignAdverts.cancel();
        passwordRotation.cancel();
        watchdog.close();
        wireWatch.close();
        String how;
        synchronized (actionLock) {
            UcarpSupervisor s;
            boolean master;
            boolean exitedAsMaster;
            synchronized (this) {
                s = supervisor;
                master = participation.ucarpMaster();
                exitedAsMaster = participation.exitedAsMasterWithin(RECENT_MASTER);
            }
            how = "stopped";
            if (s != null) {
                OptionalLong pid = s.pid();
                if (handOver && ((master && pid.isPresent()) || (exitedAsMaster && pid.isEmpty()))) {
                    how = handOver(s, pid, deadline);
                } else {
                    s.stop();
                }
            }
            ucarpWanted = false;
            ensureAddressRemoved("stopping");
        }
        runFiles.deletePassword();
        String outcome = how;
        apply(p -> p.stopped(outcome));
        env.metrics().remove(settings.name());
        LOG.infof("%s: %s", label, outcome);
    }

    private String handOver(UcarpSupervisor s, OptionalLong pid, long deadline) {
        GracefulHandover.Outcome outcome = new GracefulHandover(label, ucarpConfig, env, runFiles.stem()).run(pid, deadline);
        if (outcome.frozeMaster()) {
            s.kill();
        } else {
            s.stop();
        }
        return outcome.stopped() + (pid.isEmpty() ? " (ucarp had already exited as master)" : "");
    }

    // ---- set-up -------------------------------------------------------------------------------------------------

    private void setUp() {
        List<String> isolationHosts;
        try {
            resolve();
            isolationHosts = watchdog.isolationHostsFor(settings, interfaceName);
            Path passfile = runFiles.writePassword(settings.password());
            AddressHooks.Scripts hooks = runFiles.hooks(userHooks);
            UcarpConfig config = UcarpConfig.withPrefixAsXparam(interfaceName, sourceAddress, settings.vhid(), passfile,
                    settings.address(), settings.prefixLength(), settings.advbase(), settings.advskew(),
                    settings.preempt(), false, hooks.up(), hooks.down());
            UcarpSupervisor created = new UcarpSupervisor(config, env.prefixed(UcarpCommandLine.of(config)),
                    env.launcher(), addresses, env.scheduler(), env.clock(), new SupervisorListener(),
                    firstRestartDelay(settings.advbase()));
            synchronized (this) {
                if (participation.isStopping()) {
                    return;
                }
                ucarpConfig = config;
                supervisor = created;
                participation.configured();
            }
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.nio.file.FileSystemException || e.getMessage() == null ? e.toString() : e.getMessage();
            fail("cannot configure ucarp: " + why + "; retrying in " + RESOLVE_RETRY.toSeconds() + "s");
            synchronized (this) {
                if (!participation.isStopping()) {
                    retry = env.scheduler().schedule(this::setUp, RESOLVE_RETRY.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            return;
        }
        watchdog.start(interfaceName, isolationHosts);
        wireWatch.start(interfaceName, sourceAddress);
        LOG.infof("%s: on %s from %s, %s", label, interfaceName, sourceAddress, watchdog.describeTargets());
        gratuitousArp.schedule(settings.gratuitousArpInterval());
        reconcile();
    }

    private void resolve() throws IOException {
        if (interfaceName == null) {
            interfaceName = settings.interfaceName() != null ? settings.interfaceName()
                    : addresses.interfaceFor(settings.address()).orElseThrow(() -> new IOException(
                            "no interface has an IPv4 subnet containing " + settings.address()));
        }
        if (sourceAddress == null) {
            sourceAddress = settings.sourceAddress() != null ? settings.sourceAddress()
                    : addresses.addressOn(interfaceName).orElseThrow(() -> new IOException(
                            "interface " + interfaceName + " has no IPv4 address to advertise from"));
        }
    }

    /**
     * A crashed ucarp restarts as BACKUP with a fresh master-down timer and would race the backups that are still
     * waiting on theirs (ucarp checks its timer only every advert period), sometimes taking the VIP back. Waiting
     * three advert periods and two seconds lets a backup take over first.
     */
    public static Duration firstRestartDelay(int advbase) {
        return Duration.ofSeconds(3L * advbase + 2);
    }

    // ---- participation ------------------------------------------------------------------------------------------

    /** Brings ucarp in line with what it should be doing, on the scheduler so callers never block. */
    private void reconcile() {
        env.scheduler().execute(() -> {
            synchronized (actionLock) {
                UcarpSupervisor s;
                boolean want;
                synchronized (this) {
                    s = supervisor;
                    want = participation.wantsUcarp();
                }
                if (s == null || want == ucarpWanted) {
                    return;
                }
                ucarpWanted = want;
                if (want) {
                    synchronized (this) {
                        participation.ucarpStarting();
                    }
                    s.start();
                } else {
                    s.stop();
                    ensureAddressRemoved("not taking part");
                    synchronized (this) {
                        participation.ucarpStopped();
                    }
                }
            }
        });
    }

    private void ensureAddressRemoved(String why) {
        String iface = interfaceName;
        if (iface == null) {
            return;
        }
        try {
            // every prefix: a user's own standalone hook may have added the VIP with another one
            for (AddressControl.InterfaceAddress held : addresses.addresses(iface)) {
                if (held.address().equals(settings.address())
                        && addresses.remove(iface, settings.address(), held.prefixLength())) {
                    LOG.infof("%s: removed %s/%d from %s (%s)", label, settings.address(), held.prefixLength(), iface, why);
                }
            }
        } catch (IOException e) {
            LOG.errorf("%s: cannot remove %s from %s (%s): %s", label, settings.address(), iface, why, e.getMessage());
        }
    }

    // ---- watchdog -----------------------------------------------------------------------------------------------

    /** What the watchdog probes now. */
    List<ProbeTarget> probeTargets() {
        return watchdog.probeTargets();
    }

    private void onRound(ProbeRound round, IsolationWatchdog.Step step) {
        env.metrics().probeRound(settings.name(), round);
        String outcome = outcomeOf(round);
        boolean changedOutcome;
        synchronized (this) {
            lastRound = round;
            changedOutcome = !outcome.equals(lastProbeOutcome);
            lastProbeOutcome = outcome;
        }
        switch (step.action()) {
            case WITHDRAW -> {
                apply(p -> p.withdrawn(step.reason()));
                reconcile();
            }
            case REJOIN -> {
                apply(p -> p.rejoined(step.reason()));
                reconcile();
            }
            default -> {
                if (changedOutcome) {
                    publish(report());
                }
            }
        }
    }

    /** Which probes of {@code round} answered, e.g. "110": a report goes out when this changes. */
    private static String outcomeOf(ProbeRound round) {
        StringBuilder outcome = new StringBuilder(round.results().size());
        for (ProbeResult result : round.results()) {
            outcome.append(result.ok() ? '1' : '0');
        }
        return outcome.toString();
    }

    // ---- gratuitous ARP -----------------------------------------------------------------------------------------

    private synchronized boolean isMaster() {
        return participation.isMaster();
    }

    // ---- ucarp events -------------------------------------------------------------------------------------------

    private final class SupervisorListener implements UcarpSupervisor.Listener {
        @Override
        public void onEvent(UcarpEvent event) {
            if (event instanceof UcarpEvent.StateChanged changed) {
                apply(p -> p.ucarpSwitched(changed.state()));
            } else if (event instanceof UcarpEvent.AuthenticationFailed failed) {
                onForeignAdvert(failed.message());
            } else if (event instanceof UcarpEvent.Exiting exiting) {
                synchronized (VipRunner.this) {
                    participation.ucarpSaid("ucarp is exiting: " + exiting.reason());
                }
            } else if (event instanceof UcarpEvent.Other other && other.isError()) {
                synchronized (VipRunner.this) {
                    participation.ucarpSaid(other.message());
                }
            }
        }

        @Override
        public void onCrash(int exitCode, Duration restartIn) {
            env.metrics().ucarpRestarts(settings.name(), supervisor.restarts() + 1);
            apply(p -> p.ucarpCrashed(exitCode, restartIn));
        }
    }

    /**
     * ucarp heard an advert for our vhid that did not authenticate. From one of our peers it is our own group on
     * another password: back off (see {@link ForeignAdvertBackOff}). From another speaker only (seen by the
     * {@link WireWatch}, which reports it): ucarp ignores such adverts, so keep taking part. The watch hears the same
     * packet as ucarp, at about the same moment, so the decision waits {@link #FOREIGN_ADVERT_SETTLE} for it.
     */
    private void onForeignAdvert(String message) {
        env.scheduler().schedule(() -> decideOnForeignAdvert(message), FOREIGN_ADVERT_SETTLE.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void decideOnForeignAdvert(String message) {
        boolean backOff;
        synchronized (this) {
            backOff = participation.backsOffFromForeignAdvert();
        }
        if (!backOff) {
            return;
        }
        if (wireWatch.foreignOnlyRecently() && !foreignAdverts.inRotation()) {
            LOG.debugf("%s: not backing off: the adverts ucarp could not authenticate come from another speaker, not a"
                    + " peer (%s)", label, message);
            return;
        }
        // begun under this monitor, as the step that reports it: no other step sees the back-off without its reason
        apply(p -> {
            String began = foreignAdverts.begin(settings.vhid(), message);
            return p.noted(began == null ? foreignAdverts.reason() : began);
        });
        reconcile();
    }

    private void retryAfterForeignAdverts() {
        apply(p -> p.noted("retrying after foreign adverts"));
        reconcile();
    }

    // ---- password rotation --------------------------------------------------------------------------------------

    private void rotatePassword(boolean master, int advbase) {
        if (!master) {
            standAsideForRotation(advbase);
            return;
        }
        Duration in = passwordRotation.schedule(true, advbase, this::restartOntoNewPassword);
        LOG.infof("%s: password changed; as MASTER restarting ucarp onto it in %d ms, once the backups stand aside,"
                + " without a handover (old- and new-password nodes cannot hear each other): the VIP is without a"
                + " master for about one master-down timer", label, in.toMillis());
    }

    /**
     * A backup's part: the passfile gets the new password now, ucarp stops for {@link PasswordRotation#backupHold} and
     * then starts again reading it, by then hearing the master on the new password.
     */
    private void standAsideForRotation(int advbase) {
        passwordRotation.cancel();
        try {
            runFiles.writePassword(settings.password());
        } catch (IOException | RuntimeException e) {
            fail("cannot write the new password: " + e.getMessage() + "; ucarp keeps the old one");
            return;
        }
        Duration hold = PasswordRotation.backupHold(advbase);
        foreignAdverts.enterRotation(PasswordRotation.WINDOW.plus(hold));
        LOG.infof("%s: password changed; standing aside for %d s while the master switches, then rejoining on the new"
                + " password", label, hold.toSeconds());
        apply(p -> {
            String reason = foreignAdverts.standAside(hold, "standing aside while the master switches to the new password");
            return p.noted(reason == null ? foreignAdverts.reason() : reason);
        });
        reconcile();
    }

    /** On the scheduler: the passfile gets the new password and a running ucarp starts again to read it. */
    private void restartOntoNewPassword() {
        synchronized (actionLock) {
            UcarpSupervisor s;
            synchronized (this) {
                s = supervisor;
                if (participation.isStopping() || s == null) {
                    return; // set-up, still to come, writes the passfile from the new settings
                }
            }
            try {
                runFiles.writePassword(settings.password());
            } catch (IOException | RuntimeException e) {
                fail("cannot write the new password: " + e.getMessage() + "; ucarp keeps the old one");
                return;
            }
            foreignAdverts.enterRotation(PasswordRotation.WINDOW);
            // a back-off was against the other side of the old password; before the new ucarp can hear anything
            foreignAdverts.clear();
            if (ucarpWanted) {
                s.stop();
                ensureAddressRemoved("restarting onto the new password");
                synchronized (this) {
                    participation.ucarpStopped();
                    participation.ucarpStarting();
                }
                s.start();
            }
        }
        apply(p -> p.noted("restarted ucarp onto the new password"));
        reconcile();
    }

    private void fail(String message) {
        apply(p -> p.failed(message));
    }

    // ---- state and reports --------------------------------------------------------------------------------------

    /** Applies one event of {@link Participation}; a step that changes the state is logged and counted, and reported. */
    private void apply(Function<Participation, Participation.Step> event) {
        Participation.Step step;
        VipReport changed;
        synchronized (this) {
            step = event.apply(participation);
            changed = step.report() ? report() : null;
        }
        if (changed == null) {
            return;
        }
        if (step.changed()) {
            LOG.infof("%s: %s -> %s: %s", label, step.from(), step.to(), step.reason());
            env.metrics().stateChanged(settings.name(), settings.address(), step.to());
        }
        publish(changed);
    }

    private void publish(VipReport report) {
        try {
            onChange.accept(report);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: report listener failed", label);
        }
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
