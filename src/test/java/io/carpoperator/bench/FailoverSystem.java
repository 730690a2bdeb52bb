package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * One way of running a floating IP on the {@link BenchPair}'s two nodes. Each run starts a fresh pair, injects one
 * fault and stops everything it started.
 */
interface FailoverSystem {

    /** Name in tables and plots. */
    String name();

    /** Short name for file names, e.g. {@code keepalived}. */
    String slug();

    /** The scenarios this system takes part in. */
    Set<Scenario> scenarios();

    /**
     * Starts the preferred master, waits until it holds the VIP, then starts the backup and waits until it runs as
     * backup; {@code vhid} differs per system and scenario so no stale advert of an earlier run counts.
     */
    void start(int vhid);

    /** SIGKILL to every process of the master's instance, as in a crash: nothing gets to clean up. */
    void killMasterHard();

    /** SIGTERM to the master's instance along {@code path}: what one kind of service manager does on stop. */
    void stopMasterGracefully(SignalPath path);

    /**
     * SIGKILL to the master's election process only (the agent's ucarp child) while its parent stays: the parent's own
     * recovery. Only systems with {@link Scenario#UCARP_CRASH} in {@link #scenarios()} support it.
     */
    void killMasterElectionProcess();

    /**
     * True while the master node's instance takes part in the election: its ucarp runs, or its VRRP instance is not in
     * FAULT. An isolated node that withdrew does not; it takes part again when it recovers.
     */
    boolean masterTakesPart();

    /**
     * The file {@code node}'s ucarp lines are appended to, each with ucarp's own time stamp ({@link UcarpLog}); empty
     * for a system without ucarp.
     */
    default Optional<Path> ucarpLog(LabNode node) {
        return Optional.empty();
    }

    /** SIGKILL to everything this system started; {@link BenchPair#reset()} then removes what it left. */
    void stopAll();
}
