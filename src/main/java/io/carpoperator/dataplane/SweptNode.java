package io.carpoperator.dataplane;

import java.io.IOException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * A node's data-plane environment once a previous run's leftovers are swept: its journal, and an environment whose
 * launcher records every ucarp it starts there.
 */
public record SweptNode(NodeStateJournal journal, DataPlaneEnvironment environment) {
    private static final Logger LOG = Logger.getLogger(SweptNode.class);

    /** Opens the journal in {@code stateDir}, sweeps what it recorded (with the environment's commands), then records. */
    public static SweptNode sweep(Path stateDir, DataPlaneEnvironment env) throws IOException {
        NodeStateJournal journal = NodeStateJournal.open(stateDir, env.clock());
        StartupSweep.forHost(journal, env).run();
        return new SweptNode(journal, journal.recordingUcarps(env, HostProcesses.proc()));
    }

    /**
     * As {@link #sweep}, but a state directory that cannot be used is logged and the node runs without a journal
     * ({@code journal()} null): the VIPs still work, only crash safety is lost.
     *
     * @param setting where the directory was configured, for the log line (e.g. "--state-dir")
     */
    public static SweptNode sweepOrRunWithout(Path stateDir, String setting, DataPlaneEnvironment env) {
        try {
            return sweep(stateDir, env);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("cannot use the state directory %s (%s): %s; running without it, so a crash would leave addresses behind "
                    + "and a restart during an API outage serves nothing", stateDir, setting, e.getMessage());
            return new SweptNode(null, env);
        }
    }
}
