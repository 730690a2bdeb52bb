package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A system whose instance on each node is one process the benchmark starts (with whatever that process forks): the
 * preferred master on node1 first, then the backup on node2 once node1 holds the VIP. The systems in the graceful stops
 * build the process with {@link #instanceCommand}, so it leads its own process group and a group signal reaches this
 * instance only; the seed's watchdog, in isolation only, is started as the seed starts it.
 */
abstract class ProcessPairSystem implements FailoverSystem {

    /** Only an upper bound: the waits end as soon as the VIP or the process is there. */
    static final Duration START_LIMIT = Duration.ofSeconds(30);

    protected final BenchPair pair;
    private final String name;
    private final String slug;
    private final Set<Scenario> scenarios;
    private Process master;
    private Process backup;

    ProcessPairSystem(BenchPair pair, String name, String slug, Set<Scenario> scenarios) {
        this.pair = pair;
        this.name = name;
        this.slug = slug;
        this.scenarios = Set.copyOf(scenarios);
    }

    /** Starts this system's instance on {@code node}; {@code preferred} for node1, the one that should be master. */
    abstract Process startOn(LabNode node, int vhid, boolean preferred);

    /**
     * {@code argv} in {@code node}'s namespace under {@code setsid}, which execs it as leader of a new session and process
     * group with the same PID ({@code ip netns exec} execs too, and a JVM's child never leads a group, so setsid does not
     * fork). Its children start as the instance itself starts them, in that group unless they leave it.
     */
    static ProcessBuilder instanceCommand(LabNode node, List<String> argv) {
        List<String> full = new ArrayList<>(List.of("setsid"));
        full.addAll(argv);
        return node.command(full);
    }

    /**
     * The process the backup's instance forks once it runs the election (e.g. its ucarp), or null when the started
     * process is that itself.
     */
    abstract String electionProcess();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String slug() {
        return slug;
    }

    @Override
    public final Set<Scenario> scenarios() {
        return scenarios;
    }

    @Override
    public final void start(int vhid) {
        master = startOn(pair.master(), vhid, true);
        pair.awaitHolder(pair.master(), START_LIMIT);
        backup = startOn(pair.backup(), vhid, false);
        if (electionProcess() != null) {
            pair.awaitProcess(backup, electionProcess(), START_LIMIT);
        }
    }

    /** By default: the master's election process runs (with none named, the started process itself is alive). */
    @Override
    public boolean masterTakesPart() {
        String election = electionProcess();
        return election == null ? master.isAlive() : ProcessTree.descendant(master, election).isPresent();
    }

    /** The master's started process. */
    protected final Process master() {
        return master;
    }

    @Override
    public void killMasterHard() {
        ProcessTree.killHard(master);
    }

    @Override
    public void stopMasterGracefully(SignalPath path) {
        ProcessTree.terminate(master, path);
    }

    /** SIGKILL to the master's {@link #electionProcess()}; its parent, the started process, is left running. */
    @Override
    public void killMasterElectionProcess() {
        String election = electionProcess();
        if (election == null) {
            throw new UnsupportedOperationException(name + " starts its election process itself; it has no parent to"
                    + " recover it");
        }
        ProcessTree.descendant(master, election).orElseThrow(() -> new IllegalStateException(String.format(
                "%s: no %s runs under node1's process %d", name, election, master.pid()))).destroyForcibly();
    }

    @Override
    public void stopAll() {
        ProcessTree.killAndWait(master);
        ProcessTree.killAndWait(backup);
        master = null;
        backup = null;
    }
}
