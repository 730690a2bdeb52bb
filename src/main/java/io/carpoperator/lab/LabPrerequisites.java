package io.carpoperator.lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the host prerequisites that ./carp installs (host-prerequisites.tsv) and checks this machine against them. */
final class LabPrerequisites {

    static final String RESOURCE = "/host-prerequisites.tsv";

    private LabPrerequisites() {
    }

    static LabReadiness check() {
        boolean namespaces = Files.isDirectory(Path.of("/proc/self/ns"));
        List<HostTool> missing = toolsNeededBy(HostTool.LAB).stream().filter(tool -> findOnPath(tool.command()).isEmpty()).toList();
        return new LabReadiness(namespaces, isRoot(), missing);
    }

    static List<HostTool> toolsNeededBy(String neededBy) {
        return allTools().stream().filter(tool -> tool.neededBy().equals(neededBy)).toList();
    }

    static List<HostTool> allTools() {
        try (InputStream in = LabPrerequisites.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE + " (built without src/main/resources?)");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<HostTool> parse(List<String> lines) {
        List<HostTool> tools = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] columns = trimmed.split("\\s+");
            if (columns.length != 3) {
                throw new IllegalStateException(RESOURCE + ": expected 'command package neededBy', got: " + line);
            }
            tools.add(new HostTool(columns[0], columns[1], columns[2]));
        }
        return tools;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Searches PATH plus the sbin directories, which a non-login root shell may lack. */
    static Optional<Path> findOnPath(String tool) {
        Set<String> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(File.pathSeparator)));
        }
        directories.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return directories.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
