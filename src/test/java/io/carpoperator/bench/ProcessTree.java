package io.carpoperator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Signals to a process the benchmark started and to everything it forked, seen from the root PID namespace. */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * SIGSTOP to the process and every descendant, then SIGKILL to all: nothing gets to react in between. Without the
     * freeze keepalived's VRRP child, which asks for SIGTERM when its parent dies, sometimes sent its priority-0
     * advert (a graceful hand-off) before its own SIGKILL arrived.
     */
    static void killHard(Process process) {
        List<ProcessHandle> tree = tree(process);
        List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
        tree.forEach(p -> stop.add(Long.toString(p.pid())));
        runKill(stop);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGTERM along {@code path}. For {@link SignalPath#EVERY_PROCESS} the tree is collected right before the signals,
     * main process first, so a child forked a moment ago is not missed.
     */
    static void terminate(Process process, SignalPath path) {
        switch (path) {
            case MAIN_PROCESS -> process.destroy();
            case PROCESS_GROUP -> terminateGroup(process);
            case EVERY_PROCESS -> tree(process).forEach(ProcessHandle::destroy);
            default -> throw new IllegalArgumentException("unknown signal path " + path);
        }
    }

    /**
     * {@code kill -TERM -PGID} with the process's own PID as PGID, only when it leads its group: otherwise the signal
     * would go to the group it was started in, the benchmark's own.
     */
    private static void terminateGroup(Process process) {
        long group = processGroup(process.pid());
        if (group != process.pid()) {
            throw new IllegalStateException(String.format("process %d is not a process group leader (its group is %d);"
                    + " not signalling the group", process.pid(), group));
        }
        int exit = runKill(List.of("kill", "-TERM", "--", "-" + group));
        if (exit != 0) {
            throw new IllegalStateException("kill -TERM -" + group + " exited with " + exit);
        }
    }

    /** The process group of a live process, from {@code /proc/PID/stat}. */
    static long processGroup(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return processGroupOfStat(Files.readString(stat));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat + " (has process " + pid + " exited?)", e);
        }
    }

    /** Field 5 (pgrp) of a {@code /proc/PID/stat} line; the command in field 2 may hold spaces and parentheses. */
    static long processGroupOfStat(String stat) {
        int commandEnd = stat.lastIndexOf(')');
        if (commandEnd < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        // after the command: state, ppid, pgrp
        String[] fields = stat.substring(commandEnd + 1).trim().split("\\s+");
        if (fields.length < 3) {
            throw new IllegalArgumentException("no pgrp field in /proc/PID/stat line: " + stat);
        }
        return Long.parseLong(fields[2]);
    }

    /** The process first, then every descendant. */
    private static List<ProcessHandle> tree(Process process) {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    }

    private static int runKill(List<String> argv) {
        try {
            Process kill = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(5, TimeUnit.SECONDS) ? kill.exitValue() : -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@link #killHard} and wait up to 5 s for the process to be gone; null is ignored. */
    static void killAndWait(Process process) {
        if (process == null) {
            return;
        }
        killHard(process);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first descendant whose executable ends with {@code /name}, e.g. the ucarp a JVM or a script started. */
    static Optional<ProcessHandle> descendant(Process process, String name) {
        try (Stream<ProcessHandle> all = process.descendants()) {
            return all.filter(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false)).findFirst();
        }
    }
}
