package io.carpoperator.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/** Removes a lab's kernel objects by name: namespaces with their processes, and the root-namespace veth. */
final class LabTeardown {

    private static final Logger LOG = Logger.getLogger(LabTeardown.class);

    private LabTeardown() {
    }

    /** Every namespace whose name starts with {@code runPrefix-}. */
    static List<String> namespacesOf(String runPrefix) {
        CommandResult result = NetnsCommands.run(List.of("ip", "netns", "list"));
        List<String> found = new ArrayList<>();
        if (!result.succeeded()) {
            return found;
        }
        for (String line : result.output().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(runPrefix + "-")) {
                found.add(name);
            }
        }
        return found;
    }

    /** Kills everything still running in the namespaces, then deletes them; problems are logged, not thrown. */
    static List<String> removeRun(String runPrefix, List<String> namespaces) {
        List<String> problems = new ArrayList<>();
        for (String namespace : namespaces) {
            killProcessesIn(namespace);
        }
        for (String namespace : namespaces) {
            CommandResult deleted = NetnsCommands.run(List.of("ip", "netns", "del", namespace));
            if (!deleted.succeeded() && namespaceExists(namespace)) {
                problems.add(deleted.describe());
            }
        }
        // deleting the switch namespace destroys the veth pair; this catches a half-built lab
        String rootInterface = LabTopology.rootManagementInterface(runPrefix);
        if (linkExists(rootInterface)) {
            CommandResult deleted = NetnsCommands.run(List.of("ip", "link", "del", "dev", rootInterface));
            // the kernel destroys the pair asynchronously after the namespace went: gone between show and del is fine
            if (!deleted.succeeded() && linkExists(rootInterface)) {
                problems.add(deleted.describe());
            }
        }
        problems.forEach(problem -> LOG.warnf("Lab %s clean-up: %s", runPrefix, problem));
        return problems;
    }

    static void killProcessesIn(String namespace) {
        CommandResult pids = NetnsCommands.run(List.of("ip", "netns", "pids", namespace));
        if (!pids.succeeded()) {
            return;
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (String token : pids.output().split("\\s+")) {
            if (token.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(token)).ifPresent(handles::add);
            }
        }
        handles.forEach(ProcessHandle::destroyForcibly);
        awaitDeath(handles, namespace);
    }

    /** Polls, because onExit() of a process that is not our child can lag by seconds. */
    private static void awaitDeath(List<ProcessHandle> handles, String namespace) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (handles.stream().anyMatch(ProcessLiveness::isRunning)) {
            if (System.nanoTime() > deadline) {
                handles.stream().filter(ProcessLiveness::isRunning).forEach(handle ->
                        LOG.warnf("Process %d in %s survived SIGKILL for 5 s", handle.pid(), namespace));
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean linkExists(String name) {
        return NetnsCommands.run(List.of("ip", "link", "show", "dev", name)).succeeded();
    }

    private static boolean namespaceExists(String namespace) {
        return NetnsCommands.run(List.of("ip", "netns", "list")).output().lines()
                .anyMatch(line -> line.strip().split("\\s+")[0].equals(namespace));
    }
}
