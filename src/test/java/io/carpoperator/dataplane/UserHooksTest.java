package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.carp.AddressHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserHooksTest {

    @TempDir
    Path dir;

    private final AddressHooks.Scripts ours = new AddressHooks.Scripts(Path.of("/run/carp/up.sh"), Path.of("/run/carp/down.sh"));

    @Test
    void withoutUserHooksUcarpRunsOursAlone() throws IOException {
        assertThat(UserHooks.NONE.chainedTo(ours, dir, "web-vhid99")).isSameAs(ours);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void chainedScriptsRunOursFirstThenTheUsersWithTheirXparamQuoted() throws IOException {
        UserHooks theirs = new UserHooks(Path.of("/etc/ucarp/vip-up.sh"), null, "it's mine");

        AddressHooks.Scripts hooks = theirs.chainedTo(ours, dir, "web-vhid99");

        assertThat(hooks.up()).isEqualTo(dir.resolve("web-vhid99-up.sh")).isExecutable();
        assertThat(Files.readString(hooks.up())).isEqualTo("""
                #!/bin/sh
                # carp-operator: our up hook owns the address, then the user's own script runs
                '/run/carp/up.sh' "$1" "$2" "$3" || exit $?
                '/etc/ucarp/vip-up.sh' "$1" "$2" 'it'\\''s mine'
                exit 0
                """);
        assertThat(Files.readString(hooks.down())).as("no down hook of theirs: ours alone").isEqualTo("""
                #!/bin/sh
                # carp-operator: our down hook owns the address, then the user's own script runs
                '/run/carp/down.sh' "$1" "$2" "$3" || exit $?
                exit 0
                """);
    }
}
