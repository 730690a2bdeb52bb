package io.carpoperator.carp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file that holds a secret: created 0600 under a temporary name beside it, synced, then moved over the
 * target atomically, so no reader ever sees it half written or readable by others, not even for a moment.
 */
public final class OwnerOnlyFile {

    public static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> CREATE_MODE = PosixFilePermissions.asFileAttribute(MODE);

    private OwnerOnlyFile() {
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", CREATE_MODE);
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
                 OutputStream out = Channels.newOutputStream(channel)) {
                out.write(content);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }
}
