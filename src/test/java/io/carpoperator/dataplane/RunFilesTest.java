package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.carp.AddressHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

    @TempDir
    Path tmp;

    @Test
    void thePasswordGoesInAnOwnerOnlyFileNamedAfterTheVipAndItsVhidInAnOwnerOnlyDirectory() throws IOException {
        RunFiles files = new RunFiles(tmp.resolve("run"), "web/../x y", 99);

        Path passfile = files.writePassword("s3cret");

        assertThat(files.stem()).isEqualTo("web_.._x_y-vhid99");
        assertThat(passfile).isEqualTo(tmp.resolve("run").resolve("web_.._x_y-vhid99.pass"));
        assertThat(Files.readString(passfile)).isEqualTo("s3cret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passfile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("run")))).isEqualTo("rwx------");

        files.deletePassword();
        assertThat(passfile).doesNotExist();
    }

    @Test
    void ourHooksAloneOrChainedToTheUsersOwn() throws IOException {
        RunFiles files = new RunFiles(tmp, "web", 7);

        AddressHooks.Scripts ours = files.hooks(UserHooks.NONE);
        assertThat(ours.up()).isEqualTo(tmp.resolve(AddressHooks.UP_NAME));

        AddressHooks.Scripts chained = files.hooks(new UserHooks(Path.of("/etc/vip-up.sh"), Path.of("/etc/vip-down.sh"), null));
        assertThat(chained.up()).isEqualTo(tmp.resolve("web-vhid7-up.sh"));
        assertThat(Files.readString(chained.down())).contains(tmp.resolve(AddressHooks.DOWN_NAME).toString(), "/etc/vip-down.sh");
    }
}
