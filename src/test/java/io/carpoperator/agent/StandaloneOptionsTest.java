package io.carpoperator.agent;

import io.carpoperator.dataplane.UserHooks;
import io.carpoperator.dataplane.VipSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.watchdog.ProbeKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneOptionsTest {

    @TempDir
    Path dir;

    private Path script(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        file.toFile().setExecutable(true);
        return file;
    }

    @Test
    void acceptsTheSeedsCommandLineAsItIs() throws Exception {
        Path up = script("carp99-up.sh");
        Path down = script("carp99-down.sh");
        StandaloneOptions options = StandaloneOptions.parse("-i", "eth2", "-s", "172.16.1.2", "-v", "99", "-p", "password",
                "-a", "192.168.10.1", "-u", up.toString(), "-d", down.toString(), "-P", "-z", "-k", "10", "--daemonize");

        assertThat(options.interfaceName()).isEqualTo("eth2");
        assertThat(options.sourceAddress()).isEqualTo("172.16.1.2");
        assertThat(options.vhid()).isEqualTo(99);
        assertThat(options.password()).isEqualTo("password");
        assertThat(options.address()).isEqualTo("192.168.10.1");
        assertThat(options.prefixLength()).isEqualTo(32);
        assertThat(options.preempt()).isTrue();
        assertThat(options.advskew()).isEqualTo(10);
        assertThat(options.advbase()).isEqualTo(1);
        assertThat(options.userHooks()).isEqualTo(new UserHooks(up, down, null));
        assertThat(options.warnings()).singleElement().asString().contains("--daemonize is ignored");
        assertThat(options.isolationEnabled()).isTrue();
        assertThat(options.probes()).containsExactlyInAnyOrder(ProbeKind.ICMP, ProbeKind.ARP);
        assertThat(options.toString()).doesNotContain("password");
        assertThat(options.stateDir()).as("default").isEqualTo(Path.of("/run/carp-operator"));
    }

    @Test
    void eachAgentOnAHostCanKeepItsOwnStateDirectory() throws Exception {
        StandaloneOptions options = StandaloneOptions.parse("-v", "7", "-p", "s3cret", "-a", "198.51.100.10/24",
                "--state-dir", dir.resolve("state-7").toString());
        assertThat(options.stateDir()).isEqualTo(dir.resolve("state-7"));
    }

    @Test
    void acceptsLongFormsWatchdogFlagsAndRepeatedTargets() throws Exception {
        StandaloneOptions options = StandaloneOptions.parse("--interface=eth0", "--vhid=7", "--pass", "s3cret",
                "--addr=198.51.100.10/24", "--peer", "198.51.100.12", "--peer=198.51.100.13", "--heartbeat", "203.0.113.12",
                "--isolation-host", "198.51.100.1", "--hold-limit", "3", "--recover-after=4", "--probe-interval", "250ms",
                "--garp-interval", "0", "--health-port", "0", "--run-dir", dir.toString(), "--probes", "icmp", "-b", "2",
                "--name", "web");

        VipSettings settings = options.toSettings();
        assertThat(settings.name()).isEqualTo("web");
        assertThat(settings.prefixLength()).isEqualTo(24);
        assertThat(settings.sourceAddress()).isNull();
        assertThat(settings.peers()).containsExactly("198.51.100.12", "198.51.100.13");
        assertThat(settings.heartbeats()).containsExactly("203.0.113.12");
        assertThat(settings.isolationHosts()).containsExactly("198.51.100.1");
        assertThat(settings.holdLimit()).isEqualTo(3);
        assertThat(settings.recoverAfter()).isEqualTo(4);
        assertThat(settings.probeInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.gratuitousArpInterval()).isZero();
        assertThat(settings.probes()).isEqualTo(Set.of(ProbeKind.ICMP));
        assertThat(settings.advbase()).isEqualTo(2);
        assertThat(options.healthPort()).isZero();
        assertThat(options.runDir()).isEqualTo(dir);
    }

    @Test
    void takesThePrefixFromXparamWhenTheAddressHasNoneAndReadsThePassfile() throws Exception {
        Path passfile = dir.resolve("pass");
        Files.writeString(passfile, "from-file\nignored second line\n");
        StandaloneOptions options = StandaloneOptions.parse("-v", "9", "-o", passfile.toString(), "-a", "198.51.100.10",
                "-x", "24", "--no-isolation");

        assertThat(options.prefixLength()).isEqualTo(24);
        assertThat(options.xparam()).isEqualTo("24");
        assertThat(options.password()).isEqualTo("from-file");
        assertThat(options.isolationEnabled()).isFalse();
        assertThat(options.name()).isEqualTo("vhid-9");
    }

    @Test
    void probeIntervalTakesMillisecondsOrDurations() throws Exception {
        assertThat(StandaloneOptions.duration("--probe-interval", "1500", true)).isEqualTo(Duration.ofMillis(1500));
        assertThat(StandaloneOptions.duration("--probe-interval", "1s", true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(StandaloneOptions.duration("--probe-interval", "1.5s", true)).isEqualTo(Duration.ofMillis(1500));
        assertThat(StandaloneOptions.duration("--probe-interval", "250ms", true)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void badFlagsNameTheFlagAndTheValue() {
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "300", "-p", "x", "-a", "198.51.100.10"))
                .hasMessage("agent --standalone: -v/--vhid: expected a whole number from 1 to 255, got '300'");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--probe-interval", "fast"))
                .hasMessage("agent --standalone: --probe-interval: expected milliseconds or a duration like 250ms, 1s, 1.5s, got 'fast'");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.300"))
                .hasMessage("agent --standalone: -a/--addr: expected an IPv4 address like 198.51.100.10, got '198.51.100.300'");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--peer", "gw"))
                .hasMessage("agent --standalone: --peer: expected an IPv4 address like 198.51.100.10, got 'gw'");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--frobnicate"))
                .hasMessage("agent --standalone: unknown flag --frobnicate (see --help)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-a", "198.51.100.10"))
                .hasMessageContaining("a password is required");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "twenty-bytes-is-long", "-a", "198.51.100.10"))
                .hasMessage("agent --standalone: -p/--pass: expected 1-19 bytes (ucarp limit), got 20")
                .hasMessageNotContaining("twenty");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--hold-limit"))
                .hasMessage("agent --standalone: --hold-limit needs a value");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "-u", "/nonexistent/up.sh"))
                .hasMessage("agent --standalone: -u/--upscript: expected an executable file, got '/nonexistent/up.sh'");
    }

    @Test
    void runExitsWithTwoAndOneLineOnABadFlagAndDocumentsEveryFlagInHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StandaloneAgent.run(new String[] {"-v", "x"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "agent --standalone: -v/--vhid: expected a whole number from 1 to 255, got 'x'" + System.lineSeparator());

        out.reset();
        assertThat(StandaloneAgent.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : new String[] {"-i,", "-s,", "-v,", "-p,", "-o,", "-a,", "-x,", "-u,", "-d,", "-P,", "-k,", "-b,",
                "-z,", "-B,", "--peer", "--heartbeat", "--isolation-host", "--hold-limit", "--recover-after",
                "--probe-interval", "--probes", "--no-isolation", "--garp-interval", "--health-port", "--run-dir", "--state-dir", "--name"}) {
            assertThat(help).as("--help documents " + flag).contains(flag);
        }
    }
}
