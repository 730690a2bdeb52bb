package io.carpoperator.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Signals to a process the benchmark started and to everything it forked, seen from the root PID namespace. */
final class ProcessTree {

    private ProcessTree() {
    }

    /** SIGKILL to the process, then at once to every descendant it had (so none is left to clean up). */
    static void killHard(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGTERM to the process only: it decides what to do with its children. */
    static void terminate(Process process) {
        process.destroy();
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
