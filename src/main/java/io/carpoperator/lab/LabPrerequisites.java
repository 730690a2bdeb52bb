package io.carpoperator.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Why a lab cannot be built on this machine, in one line a test can skip with. */
final class LabPrerequisites {

    static final List<String> REQUIRED_TOOLS = List.of("ip", "bridge", "ucarp", "ping", "arping", "sysctl", "stdbuf");

    private LabPrerequisites() {
    }

    static Optional<String> unavailableReason() {
        if (!Files.isDirectory(Path.of("/proc/self/ns"))) {
            return Optional.of("the CARP lab needs Linux network namespaces (/proc/self/ns is missing)");
        }
        if (!isRoot()) {
            return Optional.of("the CARP lab needs root (network namespaces, bridges, ucarp); run as root to enable it");
        }
        List<String> missing = new ArrayList<>();
        for (String tool : REQUIRED_TOOLS) {
            if (findOnPath(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("the CARP lab needs " + String.join(", ", missing)
                    + " on the PATH (packages: iproute2, ucarp, iputils-ping, iputils-arping, procps, coreutils)");
        }
        return Optional.empty();
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
