package io.carpoperator.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/** Every long-running process the lab started, so closing the lab can kill what a test forgot. */
final class TrackedProcesses {

    private static final Logger LOG = Logger.getLogger(TrackedProcesses.class);

    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    synchronized Process start(ProcessBuilder builder) {
        if (closed) {
            throw new LabException("lab is closed; not starting '" + String.join(" ", builder.command()) + "'");
        }
        try {
            Process process = builder.start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new LabException("cannot start '" + String.join(" ", builder.command()) + "': " + e.getMessage(), e);
        }
    }

    /** Kills with SIGKILL: the lab is going away, so no process gets to run its own clean-up against it. */
    void killAll() {
        List<Process> toKill;
        synchronized (this) {
            closed = true;
            toKill = new ArrayList<>(processes);
            processes.clear();
        }
        for (Process process : toKill) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : toKill) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    LOG.warnf("Process %d did not die within 5 s of SIGKILL", process.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
