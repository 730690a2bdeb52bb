package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the hooks with stand-ins for ip and arping on PATH: no root, no network. */
class AddressHooksTest {

    @TempDir
    Path dir;
    private Path log;
    private Path bin;
    private AddressHooks.Scripts hooks;

    @BeforeEach
    void writeHooksAndFakeTools() throws Exception {
        hooks = AddressHooks.write(dir.resolve("hooks"));
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("calls.log");
        fakeTool("arping", "exit 0");
    }

    private void fakeTool(String name, String behaviour) throws Exception {
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/bin/sh\necho \"" + name + " $*\" >> '" + log + "'\n" + behaviour + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private int run(Path script, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(script.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private List<String> calls() throws Exception {
        // the up hook's arping runs in the background
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("arping")));
        return Files.readAllLines(log);
    }

    @Test
    void hooksAreExecutableByAll() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hooks.up()))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hooks.down()))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void upHookAddsTheAddressWithThePrefixFromXparamAndSendsGratuitousArp() throws Exception {
        fakeTool("ip", "exit 0");

        assertThat(run(hooks.up(), "eth0", "198.51.100.10", "24")).isZero();
        assertThat(calls()).containsExactly("ip addr add 198.51.100.10/24 dev eth0", "arping -U -c 1 -I eth0 198.51.100.10");
    }

    @Test
    void upHookToleratesAnAddressThatIsAlreadyThere() throws Exception {
        fakeTool("ip", "echo 'Error: ipv4: Address already assigned.' >&2; exit 2");

        assertThat(run(hooks.up(), "eth0", "198.51.100.10", "24")).isZero();
    }

    @Test
    void upHookFailsOnOtherErrors() throws Exception {
        fakeTool("ip", "echo 'Cannot find device \"eth9\"' >&2; exit 1");

        assertThat(run(hooks.up(), "eth9", "198.51.100.10", "24")).isEqualTo(1);
    }

    @Test
    void downHookDeletesTheAddressAndToleratesItBeingGone() throws Exception {
        fakeTool("ip", "echo 'Error: ipv4: Address not found.' >&2; exit 2");

        assertThat(run(hooks.down(), "eth0", "198.51.100.10", "24")).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("ip addr del 198.51.100.10/24 dev eth0");
    }

    @Test
    void hooksRefuseToGuessAMissingPrefix() throws Exception {
        fakeTool("ip", "exit 0");

        assertThat(run(hooks.down(), "eth0", "198.51.100.10")).isNotZero();
        assertThat(Files.exists(log)).isFalse();
    }
}
