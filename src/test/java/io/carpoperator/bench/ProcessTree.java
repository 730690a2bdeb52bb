package io.carpoperator.bench;

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
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
        List<String> stop = new java.util.ArrayList<>(List.of("kill", "-STOP"));
        tree.forEach(p -> stop.add(Long.toString(p.pid())));
        try {
            new ProcessBuilder(stop).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot run " + stop, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
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
