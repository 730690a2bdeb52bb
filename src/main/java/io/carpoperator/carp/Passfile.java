package io.carpoperator.carp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

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
        byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
        line[bytes.length] = '\n';
        return OwnerOnlyFile.write(file, line);
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
