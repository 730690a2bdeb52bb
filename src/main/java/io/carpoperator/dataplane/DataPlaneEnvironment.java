package io.carpoperator.dataplane;

import io.carpoperator.carp.CommandRunner;
import io.carpoperator.carp.ProcessCommandRunner;
import io.carpoperator.carp.UcarpInstance;
import io.carpoperator.carp.ImmediateCapture;
import io.carpoperator.carp.UcarpProcess;
import io.carpoperator.watchdog.ExecProber;
import io.carpoperator.watchdog.ProcessProbeCommandRunner;
import io.carpoperator.watchdog.Prober;
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
 * @param scheduler     drives the watchdog, gratuitous ARP, restarts and actions; needs more than one thread
 *                      because stopping ucarp blocks for up to a few seconds
 */
public record DataPlaneEnvironment(Path runDir, List<String> commandPrefix, CommandRunner commands,
                                   UcarpInstance.Launcher launcher, Prober prober, ScheduledExecutorService scheduler,
                                   Clock clock, AgentMetrics metrics) {

    public static final Path DEFAULT_RUN_DIR = Path.of("/run/carp");

    public DataPlaneEnvironment {
        Objects.requireNonNull(runDir, "runDir");
        commandPrefix = List.copyOf(commandPrefix);
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(prober, "prober");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Real processes on this host, or inside a network namespace when {@code commandPrefix} is {@code ip netns exec NS}. */
    public static DataPlaneEnvironment forHost(Path runDir, List<String> commandPrefix, ScheduledExecutorService scheduler,
                                               AgentMetrics metrics) {
        return new DataPlaneEnvironment(runDir, commandPrefix,
                new ProcessCommandRunner(commandPrefix, Duration.ofSeconds(5)),
                UcarpProcess.launcher(ImmediateCapture.environment(runDir.resolve("lib"))),
                new ExecProber(new ProcessProbeCommandRunner(scheduler), commandPrefix),
                scheduler, Clock.systemUTC(), metrics);
    }

    /** The same environment with another way to start ucarp, e.g. one that records what it starts. */
    public DataPlaneEnvironment withLauncher(UcarpInstance.Launcher newLauncher) {
        return new DataPlaneEnvironment(runDir, commandPrefix, commands, newLauncher, prober, scheduler, clock, metrics);
    }

    /** ucarp's argv behind the prefix. */
    List<String> prefixed(List<String> argv) {
        List<String> full = new ArrayList<>(commandPrefix);
        full.addAll(argv);
        return full;
    }
}
