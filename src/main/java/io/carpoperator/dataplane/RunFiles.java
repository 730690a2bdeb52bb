package io.carpoperator.dataplane;

import io.carpoperator.carp.AddressHooks;
import io.carpoperator.carp.Passfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files one VIP's ucarp reads, in the run directory (a tmpfs in a pod): its passfile ({@code STEM.pass}, 0600),
 * the address hooks every VIP shares, and, when the user has hooks of their own, the scripts chaining ours and theirs
 * ({@code STEM-up.sh}, {@code STEM-down.sh}); the handover helper's hooks take the same stem. The stem is the VIP's
 * name made safe for a file name, and its vhid, so two VIPs never share a file.
 */
final class RunFiles {

    private final Path dir;
    private final String stem;

    RunFiles(Path dir, String name, int vhid) {
        this.dir = dir;
        this.stem = name.replaceAll("[^A-Za-z0-9._-]", "_") + "-vhid" + vhid;
    }

    Path dir() {
        return dir;
    }

    /** e.g. {@code web-vhid99}; other files of this VIP in {@link #dir()} start with it. */
    String stem() {
        return stem;
    }

    Path passfile() {
        return dir.resolve(stem + ".pass");
    }

    /** Creates the directory (0700) when missing and writes the password; returns the passfile. */
    Path writePassword(String password) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Passfile.write(passfile(), password);
    }

    /** The hooks ucarp runs: ours, chained to the user's own when there are any. */
    AddressHooks.Scripts hooks(UserHooks user) throws IOException {
        return user.chainedTo(AddressHooks.write(dir), dir, stem);
    }

    /** The password leaves the node's tmpfs with the VIP. */
    void deletePassword() {
        GracefulHandover.deleteQuietly(passfile());
    }
}
