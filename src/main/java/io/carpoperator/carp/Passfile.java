package io.carpoperator.carp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a ucarp passfile: the password as the first LF-terminated line (ucarp reads it with fgets and cuts
 * at the first LF), created with mode 0600 so it is never readable by others, not even for a moment.
 */
public final class Passfile {

    /** ucarp copies the password and its NUL into a 20-byte key. */
    public static final int MAX_PASSWORD_BYTES = 19;

    private Passfile() {
    }

    public static Path write(Path file, String password) throws IOException {
        byte[] bytes = validate(password);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
                 OutputStream out = Channels.newOutputStream(channel)) {
                out.write(bytes);
                out.write('\n');
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    static byte[] validate(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("CARP password must not be empty");
        }
        if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0 || password.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("CARP password must be a single line without NUL, CR or LF");
        }
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("CARP password must be at most " + MAX_PASSWORD_BYTES
                    + " bytes (ucarp limit), got " + bytes.length + " bytes");
        }
        return bytes;
    }
}
