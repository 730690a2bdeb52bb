package io.carpoperator.dataplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The memory of the agent and of the processes it started (ucarp, probes, hooks) as the kernel counts it, read from
 * {@code /proc} when asked (a scrape), never cached. RSS counts shared pages in full in every process; PSS divides
 * them among their sharers, so PSS sums to what the node really spends.
 */
public final class MemoryFootprint {
    private static final long KIB = 1024;

    private final Path proc;
    private final Supplier<List<Long>> childPids;

    /**
     * @param proc      the proc file system ({@code /proc}; a test passes a folder of its own)
     * @param childPids the processes below this one now; one that exits before it is read is left out
     */
    MemoryFootprint(Path proc, Supplier<List<Long>> childPids) {
        this.proc = proc;
        this.childPids = childPids;
    }

    /** This JVM and every process below it. */
    public static MemoryFootprint ofThisProcess() {
        return new MemoryFootprint(Path.of("/proc"), () -> {
            try (var descendants = ProcessHandle.current().descendants()) {
                return descendants.map(ProcessHandle::pid).toList();
            }
        });
    }

    /** Resident set of this process in bytes; NaN where /proc cannot tell (not Linux). */
    public double ownRssBytes() {
        return orNaN(rssKib("self"));
    }

    /** Proportional set of this process in bytes; NaN where /proc cannot tell (not Linux, kernel before 4.14). */
    public double ownPssBytes() {
        return orNaN(pssKib("self"));
    }

    /** Summed resident sets of the processes below this one, in bytes; 0 when there are none. */
    public double childrenRssBytes() {
        return childPids.get().stream().mapToLong(pid -> rssKib(Long.toString(pid)).orElse(0)).sum() * (double) KIB;
    }

    /** Summed proportional sets of the processes below this one, in bytes; 0 when there are none. */
    public double childrenPssBytes() {
        return childPids.get().stream().mapToLong(pid -> pssKib(Long.toString(pid)).orElse(0)).sum() * (double) KIB;
    }

    private OptionalLong rssKib(String pid) {
        return kib(proc.resolve(pid).resolve("status"), "VmRSS:");
    }

    private OptionalLong pssKib(String pid) {
        return kib(proc.resolve(pid).resolve("smaps_rollup"), "Pss:");
    }

    /** The kB value of the line starting with {@code key}, e.g. "VmRSS:    1940 kB"; empty when the file or line is gone. */
    static OptionalLong kib(Path file, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty(); // the process exited, or this is not Linux
        }
        for (String line : lines) {
            if (line.startsWith(key)) {
                String[] fields = line.substring(key.length()).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(fields[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static double orNaN(OptionalLong kib) {
        return kib.isPresent() ? kib.getAsLong() * (double) KIB : Double.NaN;
    }
}
