package io.carpoperator.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The seed's up/down scripts for plain-ucarp baselines: add or delete the address, nothing else. */
public final class SeedHooks {
    public static final String UP = "vip-up.sh";
    public static final String DOWN = "vip-down.sh";

    private SeedHooks() {
    }

    /** Writes both scripts into a new temp directory whose name carries {@code runPrefix}, so leftovers are easy to find. */
    public static Path write(String runPrefix) throws IOException {
        Path dir = Files.createTempDirectory(runPrefix + "-seed-hooks-");
        write(dir.resolve(UP), "#!/bin/sh\nexec ip addr add \"$2/$3\" dev \"$1\"\n");
        write(dir.resolve(DOWN), "#!/bin/sh\nexec ip addr del \"$2/$3\" dev \"$1\"\n");
        return dir;
    }

    private static void write(Path file, String body) throws IOException {
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
