package io.carpoperator.lab;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether this machine can build a lab: Linux namespaces, root, and every lab command of host-prerequisites.tsv.
 * Tests tell "not root" (a reason to skip) from "root but a command is missing" (a broken machine, a reason to fail).
 */
public record LabReadiness(boolean namespaces, boolean root, List<HostTool> missing) {

    public boolean ready() {
        return namespaces && root && missing.isEmpty();
    }

    /** Root with namespaces but a missing command: the machine is set up wrong, not merely unprivileged. */
    public boolean rootButIncomplete() {
        return namespaces && root && !missing.isEmpty();
    }

    /** Why the lab cannot run, in one line naming each missing command with its package and the install command. */
    public Optional<String> reason() {
        if (!namespaces) {
            return Optional.of("the CARP lab needs Linux network namespaces (/proc/self/ns is missing)");
        }
        if (!root) {
            return Optional.of("the CARP lab needs root (network namespaces, bridges, ucarp); run as root to enable it");
        }
        if (!missing.isEmpty()) {
            String packages = missing.stream().map(HostTool::debianPackage).distinct().collect(Collectors.joining(" "));
            return Optional.of("the CARP lab needs " + missing.stream().map(HostTool::describe).collect(Collectors.joining(", "))
                    + " on the PATH; install with: apt-get install -y " + packages + " (./carp does this as root)");
        }
        return Optional.empty();
    }
}
