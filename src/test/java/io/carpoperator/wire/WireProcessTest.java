package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real script, without root and without a packet: only lines it must refuse before it opens any socket. perl is
 * part of every Debian (perl-base is essential); without it this test says so and skips.
 */
class WireProcessTest {

    @TempDir
    Path runDirectory;

    static final class Collected implements WireChannel.Listener {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        @Override
        public void onLine(String line) {
            lines.add(line);
        }

        @Override
        public void onDiagnostic(String line) {
            lines.add("stderr: " + line);
        }

        @Override
        public void onExit(int exitCode) {
            exit.complete(exitCode);
        }

        String next() throws InterruptedException {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertThat(line).as("a line from the helper within 5s").isNotNull();
            return line;
        }
    }

    private static void assumePerl() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "perl")));
        assumeTrue(found, "perl is not on the PATH (Debian package perl-base); the wire helper's script cannot run here");
    }

    @Test
    void theScriptIsInstalledOwnerOnlyWithTheResourcesContent() throws Exception {
        Path script = WireProcess.installScript(runDirectory.resolve("wire"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwx------");
        try (InputStream resource = WireProcess.class.getResourceAsStream(WireProcess.SCRIPT_NAME)) {
            assertThat(Files.readAllBytes(script)).isEqualTo(resource.readAllBytes());
        }
        assertThat(WireProcess.command(List.of("ip", "netns", "exec", "n1"), script))
                .containsExactly("ip", "netns", "exec", "n1", "perl", script.toString());
    }

    @Test
    void badCommandLinesAreAnsweredWithErrorsAndQuitEndsTheHelperCleanly() throws Exception {
        assumePerl();
        Collected collected = new Collected();
        WireChannel helper = WireProcess.launcher(runDirectory, List.of()).start(collected);
        try {
            assertThat(WireEvent.parse(collected.next())).isEqualTo(new WireEvent.Ready(helper.pid()));

            helper.send("ping 1 198.51.100.1");
            helper.send("icmp 2 198.51.100.999");
            helper.send("icmp 3");
            helper.send("arp 4 eth/0 198.51.100.1");
            helper.send("arp 5 no-such-if0 198.51.100.1");
            helper.send("listen no-such-if0");
            helper.send("cancel 77");
            helper.send("");

            assertThat(List.of(collected.next(), collected.next(), collected.next(), collected.next(), collected.next(), collected.next()))
                    .containsExactly(
                            "error - unknown command 'ping'; expected icmp, arp, dad, garp, cancel, listen, unlisten or quit",
                            "error 2 address '198.51.100.999' is not a dotted-quad IPv4 address",
                            "error 3 'icmp' takes 2 arguments (icmp ID ADDRESS), got 1",
                            "error 4 interface 'eth/0' is not a Linux interface name (1-15 characters, no '/', ':' or whitespace)",
                            "error 5 no interface no-such-if0 in this network namespace",
                            "error - listen no-such-if0: no interface no-such-if0 in this network namespace");

            helper.send("quit");
            assertThat(collected.exit.get(5, TimeUnit.SECONDS)).isZero();
            assertThat(collected.lines).as("nothing on stderr, nothing after quit").isEmpty();
        } finally {
            helper.close();
        }
    }

    @Test
    void theEndOfStdinEndsTheHelperWithExitCodeZero() throws Exception {
        assumePerl();
        Path script = WireProcess.installScript(runDirectory);
        Process perl = new ProcessBuilder(WireProcess.command(List.of(), script)).redirectErrorStream(true).start();
        perl.getOutputStream().close();

        assertThat(perl.waitFor(5, TimeUnit.SECONDS)).as("exited within 5s").isTrue();
        assertThat(perl.exitValue()).isZero();
        assertThat(new String(perl.getInputStream().readAllBytes())).isEqualTo("ready " + perl.pid() + "\n");
    }
}
