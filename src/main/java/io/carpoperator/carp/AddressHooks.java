package io.carpoperator.carp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The up and down hooks ucarp runs. ucarp 1.5.2 execs them as {@code SCRIPT INTERFACE VIP XPARAM} (we pass
 * the prefix length as xparam) and waits for them, so they must return fast: the gratuitous ARP runs in the
 * background. Both are idempotent: adding an address that exists or deleting one that is gone succeeds.
 */
public final class AddressHooks {

    public static final String UP_NAME = "carp-vip-up.sh";
    public static final String DOWN_NAME = "carp-vip-down.sh";

    static final String UP_SCRIPT = """
            #!/bin/sh
            # carp-operator up hook: ucarp runs it as "$0 INTERFACE VIP PREFIX" and blocks until it returns.
            prefix="${3:?carp-vip-up: expected the prefix length as the third argument (ucarp -x)}"
            if ! out=$(ip addr add "$2/$prefix" dev "$1" 2>&1); then
              case "$out" in
                *exists*|*"already assigned"*) ;;
                *) echo "carp-vip-up: ip addr add $2/$prefix dev $1 failed: $out" >&2; exit 1 ;;
              esac
            fi
            # gratuitous ARP in the background: ucarp is blocked while this script runs
            arping -U -c 1 -I "$1" "$2" </dev/null >/dev/null 2>&1 &
            exit 0
            """;

    static final String DOWN_SCRIPT = """
            #!/bin/sh
            # carp-operator down hook: ucarp runs it as "$0 INTERFACE VIP PREFIX" and blocks until it returns.
            prefix="${3:?carp-vip-down: expected the prefix length as the third argument (ucarp -x)}"
            if ! out=$(ip addr del "$2/$prefix" dev "$1" 2>&1); then
              case "$out" in
                *"not found"*|*"Cannot assign requested address"*) ;;
                *) echo "carp-vip-down: ip addr del $2/$prefix dev $1 failed: $out" >&2; exit 1 ;;
              esac
            fi
            exit 0
            """;

    /** Paths of the written hooks. */
    public record Scripts(Path up, Path down) {
    }

    private AddressHooks() {
    }

    /** Writes both hooks into {@code directory} (which must be writable, e.g. a tmpfs) with mode 0755. */
    public static Scripts write(Path directory) throws IOException {
        Files.createDirectories(directory);
        return new Scripts(writeExecutable(directory.resolve(UP_NAME), UP_SCRIPT),
                writeExecutable(directory.resolve(DOWN_NAME), DOWN_SCRIPT));
    }

    private static Path writeExecutable(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            // createTempFile's attribute is masked by the umask; set the final mode explicitly before publishing
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }
}
