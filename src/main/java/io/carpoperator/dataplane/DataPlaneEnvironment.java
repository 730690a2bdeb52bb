package io.carpoperator.dataplane;

import io.carpoperator.carp.CommandRunner;
import io.carpoperator.carp.ProcessCommandRunner;
import io.carpoperator.carp.UcarpInstance;
import io.carpoperator.carp.ImmediateCapture;
import io.carpoperator.wire.LinkWatch;
import io.carpoperator.wire.NodeWire;
import io.carpoperator.carp.UcarpProcess;
import io.carpoperator.watchdog.ExecProber;
import io.carpoperator.watchdog.ProcessProbeCommandRunner;
import io.carpoperator.watchdog.Prober;
import io.carpoperator.watchdog.SharedProbeRounds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link VipRunner} needs from the node it runs on: where to write its files, how to run commands,
 * ucarp and probes, and time. Tests pass fakes; the lab passes an {@code ip netns exec NODE} prefix.
 *
 * @param runDir        passfiles and hook scripts (0600/0755); a tmpfs in a pod, default {@link #DEFAULT_RUN_DIR}
 * @param commandPrefix prepended to ucarp's own command line (the other runners carry it themselves)
 * @param commands      runs ip, arping and kill
 * @param launcher      starts ucarp processes
 * @param prober        sends watchdog probes
 * @param links         the node's links as every VIP shares them: adverts heard, duplicate owners ({@link LinkWatch#NONE}:
 *                      none heard)
 * @param scheduler     drives the watchdog, gratuitous ARP, restarts and actions; needs more than one thread
 *                      because stopping ucarp blocks for up to a few seconds
 * @param rounds        the node's watchdog probe rounds, one per distinct set of targets, shared by its VIPs
 */
public record DataPlaneEnvironment(Path runDir, List<String> commandPrefix, CommandRunner commands,
                                   UcarpInstance.Launcher launcher, Prober prober, LinkWatch links,
                                   ScheduledExecutorService scheduler, Clock clock, AgentMetrics metrics,
                                   SharedProbeRounds rounds) {

    public static final Path DEFAULT_RUN_DIR = Path.of("/run/carp");

    public DataPlaneEnvironment {
        Objects.requireNonNull(runDir, "runDir");
        commandPrefix = List.copyOf(commandPrefix);
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(prober, "prober");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(rounds, "rounds");
    }

    /** An environment whose VIPs share probe rounds run by {@code prober}. */
    public DataPlaneEnvironment(Path runDir, List<String> commandPrefix, CommandRunner commands,
                                UcarpInstance.Launcher launcher, Prober prober, LinkWatch links,
                                ScheduledExecutorService scheduler, Clock clock, AgentMetrics metrics) {
        this(runDir, commandPrefix, commands, launcher, prober, links, scheduler, clock, metrics,
                new SharedProbeRounds(prober, scheduler, clock));
    }

    /**
     * Real processes on this host, or inside a network namespace when {@code commandPrefix} is {@code ip netns exec NS}:
     * ucarp with immediate capture, and one wire helper for the node's probes, adverts and ARP probes (unless
     * {@link NodeWire#PROBER_ENV}{@code =exec}: then a ping or arping process per probe, and no conflicts are seen).
     * {@link #close()} ends the helper.
     */
    public static DataPlaneEnvironment forHost(Path runDir, List<String> commandPrefix, ScheduledExecutorService scheduler,
                                               AgentMetrics metrics) {
        Prober forked = new ExecProber(new ProcessProbeCommandRunner(scheduler), commandPrefix);
        Prober prober = forked;
        LinkWatch links = LinkWatch.NONE;
        if (!NodeWire.forkProbesRequested()) {
            NodeWire wire = NodeWire.start("node " + String.join(" ", commandPrefix.isEmpty() ? List.of("host")
                    : commandPrefix.subList(commandPrefix.size() - 1, commandPrefix.size())), runDir.resolve("wire"),
                    commandPrefix, scheduler, forked);
            prober = wire.prober();
            links = wire;
        }
        return new DataPlaneEnvironment(runDir, commandPrefix,
                new ProcessCommandRunner(commandPrefix, Duration.ofSeconds(5)),
                UcarpProcess.launcher(ImmediateCapture.environment(runDir.resolve("lib"))),
                prober, links, scheduler, Clock.systemUTC(), metrics);
    }

    /** Ends what {@link #forHost} started for the node (its wire helper); the VIPs must be stopped first. */
    public void close() {
        if (links instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close " + links + ": " + e.getMessage(), e);
            }
        }
    }

    /** The same environment with another way to start ucarp, e.g. one that records what it starts. */
    public DataPlaneEnvironment withLauncher(UcarpInstance.Launcher newLauncher) {
        return new DataPlaneEnvironment(runDir, commandPrefix, commands, newLauncher, prober, links, scheduler, clock, metrics,
                rounds);
    }

    /** ucarp's argv behind the prefix. */
    List<String> prefixed(List<String> argv) {
        List<String> full = new ArrayList<>(commandPrefix);
        full.addAll(argv);
        return full;
    }
}
