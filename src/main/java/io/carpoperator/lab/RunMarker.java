package io.carpoperator.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /run/carplab/<runPrefix>.pid}: which JVM owns a lab. Written before anything is created,
 * so a lab whose owner died (kill -9, crash) is recognised and removed by the next run.
 */
record RunMarker(String runPrefix, long pid, Instant ownerStart) {

    static final Path DEFAULT_DIRECTORY = Path.of("/run/carplab");
    private static final String SUFFIX = ".pid";

    static RunMarker forThisProcess(String runPrefix) {
        ProcessHandle self = ProcessHandle.current();
        return new RunMarker(runPrefix, self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
    }

    static Path file(Path directory, String runPrefix) {
        return directory.resolve(runPrefix + SUFFIX);
    }

    /** Reads a marker; empty when the file is not a marker or is unreadable (another run may be deleting it). */
    static Optional<RunMarker> read(Path file) {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String prefix = fileName.substring(0, fileName.length() - SUFFIX.length());
        if (!LabTopology.isRunPrefix(prefix)) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
            long pid = Long.parseLong(fields[0]);
            Instant start = fields.length > 1 ? Instant.ofEpochMilli(Long.parseLong(fields[1])) : Instant.EPOCH;
            return Optional.of(new RunMarker(prefix, pid, start));
        } catch (IOException | RuntimeException e) {
            // a marker we cannot parse is treated as an owner that is gone
            return Optional.of(new RunMarker(prefix, -1, Instant.EPOCH));
        }
    }

    void write(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(file(directory, runPrefix), pid + " " + ownerStart.toEpochMilli() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write lab marker in " + directory + ": " + e.getMessage(), e);
        }
    }

    void delete(Path directory) {
        try {
            Files.deleteIfExists(file(directory, runPrefix));
        } catch (IOException e) {
            throw new LabException("cannot delete lab marker " + file(directory, runPrefix) + ": " + e.getMessage(), e);
        }
    }

    /** Alive means the same pid and the same start time, so a recycled pid does not keep a dead lab alive. */
    boolean ownerAlive() {
        return ProcessHandle.of(pid)
                .filter(ProcessLiveness::isRunning)
                .map(handle -> ownerStart.equals(Instant.EPOCH)
                        || handle.info().startInstant().map(s -> s.toEpochMilli() == ownerStart.toEpochMilli()).orElse(true))
                .orElse(false);
    }
}
