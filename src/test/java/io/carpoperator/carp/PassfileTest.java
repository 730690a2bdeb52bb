package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassfileTest {

    @TempDir
    Path dir;

    @Test
    void writesThePasswordAsTheFirstLfTerminatedLineWithMode0600() throws Exception {
        Path file = Passfile.write(dir.resolve("vip99.pass"), "s3cret");

        assertThat(Files.readAllBytes(file)).isEqualTo("s3cret\n".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void replacesAnExistingPassfileAndLeavesNoTemporaryFiles() throws Exception {
        Passfile.write(dir.resolve("vip99.pass"), "old");
        Passfile.write(dir.resolve("vip99.pass"), "new");

        assertThat(Files.readString(dir.resolve("vip99.pass"))).isEqualTo("new\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("vip99.pass"));
        }
    }

    @Test
    void acceptsNineteenBytes() throws Exception {
        assertThat(Files.readString(Passfile.write(dir.resolve("p"), "1234567890123456789"))).hasSize(20);
    }

    @Test
    void rejectsAnEmptyPassword() {
        assertThatThrownBy(() -> Passfile.write(dir.resolve("p"), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARP password must not be empty");
    }

    @Test
    void rejectsAPasswordLongerThanUcarpAccepts() {
        assertThatThrownBy(() -> Passfile.write(dir.resolve("p"), "12345678901234567890"))
                .hasMessage("CARP password must be at most 19 bytes (ucarp limit), got 20 bytes");
        assertThatThrownBy(() -> Passfile.write(dir.resolve("p"), "äääääääääá"))
                .hasMessage("CARP password must be at most 19 bytes (ucarp limit), got 20 bytes");
        assertThat(Files.exists(dir.resolve("p"))).isFalse();
    }

    @Test
    void rejectsAPasswordSpanningLines() {
        assertThatThrownBy(() -> Passfile.write(dir.resolve("p"), "one\ntwo"))
                .hasMessage("CARP password must be a single line without NUL, CR or LF");
    }
}
