package io.carpoperator.dataplane;

import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpInstance;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/** Records every ucarp the wrapped launcher starts in the node-state journal, and forgets it when it exits. */
final class RecordingLauncher implements UcarpInstance.Launcher {

    private final UcarpInstance.Launcher launcher;
    private final NodeStateJournal journal;
    private final HostProcesses processes;

    RecordingLauncher(UcarpInstance.Launcher launcher, NodeStateJournal journal, HostProcesses processes) {
        this.launcher = launcher;
        this.journal = journal;
        this.processes = processes;
    }

    @Override
    public UcarpInstance start(String label, List<String> argv, UcarpInstance.Listener listener) throws IOException {
        ExitWatch watch = new ExitWatch(listener);
        UcarpInstance instance = launcher.start(label, argv, watch);
        watch.started(instance.pid(), label);
        return instance;
    }

    /** A process may exit before its start is recorded: whichever comes second makes sure the record does not outlive it. */
    private final class ExitWatch implements UcarpInstance.Listener {
        private final UcarpInstance.Listener listener;
        private long pid;
        private boolean exited;

        ExitWatch(UcarpInstance.Listener listener) {
            this.listener = listener;
        }

        synchronized void started(long startedPid, String label) {
            if (exited) {
                return;
            }
            OptionalLong startTime = processes.startTime(startedPid);
            if (startTime.isPresent()) {
                pid = startedPid;
                journal.recordUcarp(new RecordedUcarp(startedPid, startTime.getAsLong(), label));
            }
        }

        @Override
        public void onEvent(UcarpEvent event) {
            listener.onEvent(event);
        }

        @Override
        public void onExit(int exitCode) {
            synchronized (this) {
                exited = true;
                if (pid > 0) {
                    // deleting one small file: cheap enough for the exit callback's thread
                    journal.forgetUcarp(pid);
                }
            }
            listener.onExit(exitCode);
        }
    }
}
