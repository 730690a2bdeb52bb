package io.carpoperator.dataplane;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A node's data-plane environment once a previous run's leftovers are swept: its journal, and an environment whose
 * launcher records every ucarp it starts there.
 */
public record SweptNode(NodeStateJournal journal, DataPlaneEnvironment environment) {

    /** Opens the journal in {@code stateDir}, sweeps what it recorded (with the environment's commands), then records. */
    public static SweptNode sweep(Path stateDir, DataPlaneEnvironment env) throws IOException {
        NodeStateJournal journal = NodeStateJournal.open(stateDir, env.clock());
        StartupSweep.forHost(journal, env).run();
        return new SweptNode(journal, journal.recordingUcarps(env, HostProcesses.proc()));
    }
}
