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
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneOptionsTest {

    /** Every option in {@code ucarp --help} of ucarp 1.5.2, as "-short, --long". */
    private static final List<String> UCARP_1_5_2_OPTIONS = List.of("-i, --interface", "-s, --srcip", "-m, --mcast",
            "-v, --vhid", "-p, --pass", "-o, --passfile", "-P, --preempt", "-n, --neutral", "-a, --addr", "-h, --help",
            "-b, --advbase", "-k, --advskew", "-u, --upscript", "-d, --downscript", "-r, --deadratio", "-D, --debug",
            "-z, --shutdown", "-B, --daemonize", "-S, --ignoreifstate", "-M, --nomcast", "-f, --facility", "-x, --xparam");

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
    void acceptsTheUcarpCommandLineOfTheSeedsWatchdogScript() throws Exception {
        // start_ucarp in ucarp-watchdog.sh: -i $INTERFACE -s $IPP -v $UCARPID -p password -P -a $IPV -z -u ... -d ...
        Path up = script("carp99-up.sh");
        Path down = script("carp99-down.sh");
        StandaloneOptions options = StandaloneOptions.parse("-i", "eth2", "-s", "172.16.1.1", "-v", "99", "-p", "password",
                "-P", "-a", "192.168.10.1", "-z", "-u", up.toString(), "-d", down.toString());

        assertThat(options.interfaceName()).isEqualTo("eth2");
        assertThat(options.sourceAddress()).isEqualTo("172.16.1.1");
        assertThat(options.vhid()).isEqualTo(99);
        assertThat(options.address()).isEqualTo("192.168.10.1");
        assertThat(options.preempt()).isTrue();
        assertThat(options.advskew()).isZero();
        assertThat(options.userHooks()).isEqualTo(new UserHooks(up, down, null));
        assertThat(options.warnings()).isEmpty();
    }

    @Test
    void acceptsTheSampleCommandLineOfUcarpsOwnHelp() throws Exception {
        // ucarp --interface=eth0 --srcip=10.1.1.1 --vhid=1 --pass=mypassword --addr=10.1.1.252
        //       --upscript=/etc/vip-up.sh --downscript=/etc/vip-down.sh   (the scripts here are made in a temporary folder)
        Path up = script("vip-up.sh");
        Path down = script("vip-down.sh");
        StandaloneOptions options = StandaloneOptions.parse("--interface=eth0", "--srcip=10.1.1.1", "--vhid=1",
                "--pass=mypassword", "--addr=10.1.1.252", "--upscript=" + up, "--downscript=" + down);

        assertThat(options.interfaceName()).isEqualTo("eth0");
        assertThat(options.sourceAddress()).isEqualTo("10.1.1.1");
        assertThat(options.vhid()).isEqualTo(1);
        assertThat(options.password()).isEqualTo("mypassword");
        assertThat(options.address()).isEqualTo("10.1.1.252");
        assertThat(options.prefixLength()).isEqualTo(32);
        assertThat(options.preempt()).isFalse();
        assertThat(options.userHooks()).isEqualTo(new UserHooks(up, down, null));
        assertThat(options.name()).isEqualTo("vhid-1");
    }

    @Test
    void takesClusteredShortFlagsAndAttachedValuesAsUcarpsGetoptDoes() throws Exception {
        String[] required = {"-v", "9", "-p", "s3cret", "-a", "198.51.100.10"};
        for (String[] flags : new String[][] {{"-zP", "-k10"}, {"-Pz", "--advskew=10"}, {"-zPk10"}, {"-Pzk", "10"},
                {"-P", "-z", "--advskew", "10"}, {"--preempt", "--shutdown", "-k", "10"}}) {
            StandaloneOptions options = StandaloneOptions.parse(concat(required, flags));
            assertThat(options.preempt()).as(String.join(" ", flags)).isTrue();
            assertThat(options.advskew()).as(String.join(" ", flags)).isEqualTo(10);
            assertThat(options.warnings()).as(String.join(" ", flags)).isEmpty();
        }
        assertThat(StandaloneOptions.parse(concat(required, "-z")).preempt()).as("-z alone").isFalse();
    }

    @Test
    void readsTheWordAfterAnOptionAsItsValueAndKeepsTheLastOfARepeatedOption() throws Exception {
        StandaloneOptions options = StandaloneOptions.parse("-v", "9", "--vhid", "10", "-p", "-Pz", "-a", "198.51.100.10",
                "-k", "5", "-k20");
        assertThat(options.password()).as("getopt takes the next word whatever it looks like").isEqualTo("-Pz");
        assertThat(options.preempt()).isFalse();
        assertThat(options.vhid()).isEqualTo(10);
        assertThat(options.advskew()).isEqualTo(20);
        assertThat(StandaloneOptions.parse("-v", "9", "-p", "@secret", "-a", "198.51.100.10").password())
                .as("an @word is a value, not a file of arguments").isEqualTo("@secret");
    }

    @Test
    void acceptsUcarpOptionsItDoesNotActOnWithAWarningEach() throws Exception {
        StandaloneOptions options = StandaloneOptions.parse("-v", "9", "-p", "s3cret", "-a", "198.51.100.10", "-BDn",
                "-f", "local3", "--deadratio=3", "--mcast", "224.0.0.18");

        assertThat(options.warnings()).containsExactly(
                "--daemonize is ignored: the agent stays in the foreground, run it under a service manager",
                "--debug is ignored: the agent logs ucarp's state changes, warnings and errors, and the watchdog's verdicts, itself",
                "--facility local3 is ignored: the agent logs ucarp's lines on its own output; ucarp's own syslog copies keep "
                        + "facility daemon");
    }

    @Test
    void refusesUcarpOptionsThatWouldMakeUcarpBehaveOtherwiseThanTheAgentCountsOn() throws IOException {
        String[] required = {"-v", "9", "-p", "s3cret", "-a", "198.51.100.10"};
        assertThatThrownBy(() -> StandaloneOptions.parse(concat(required, "-M")))
                .hasMessage("agent --standalone: -M/--nomcast is not supported: broadcast adverts would not reach the agent's "
                        + "wire helper, which listens on 224.0.0.18; run every node of the VIP without -M");
        assertThatThrownBy(() -> StandaloneOptions.parse(concat(required, "--ignoreifstate")))
                .hasMessageStartingWith("agent --standalone: -S/--ignoreifstate is not supported: the agent counts on ucarp "
                        + "giving the VIP up when its interface is down");
        assertThatThrownBy(() -> StandaloneOptions.parse(concat(required, "-r", "2")))
                .hasMessageStartingWith("agent --standalone: -r/--deadratio: only 3, ucarp's default, is supported, got '2': ");
        assertThatThrownBy(() -> StandaloneOptions.parse(concat(required, "-m", "239.1.1.1")))
                .hasMessageStartingWith("agent --standalone: -m/--mcast: only 224.0.0.18, CARP's group, is supported, got "
                        + "'239.1.1.1': ");
        Path down = script("down.sh");
        assertThatThrownBy(() -> StandaloneOptions.parse(concat(required, "-n", "-d", down.toString())))
                .hasMessageStartingWith("agent --standalone: -n/--neutral is not supported: with -d/--downscript: ");
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
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
                .hasMessage("agent --standalone: -a/--addr: expected an IPv4 address like 198.51.100.10, got '198.51.100.300' ('300' is above 255)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--peer", "gw"))
                .hasMessage("agent --standalone: --peer: expected an IPv4 address like 198.51.100.10, got 'gw' (it is not four numbers separated by dots)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "-s", "198.51.100.011"))
                .as("ucarp's inet_aton would read 011 as octal 9")
                .hasMessage("agent --standalone: -s/--srcip: expected an IPv4 address like 198.51.100.10, got '198.51.100.011' "
                        + "('011' has a leading zero, which inet_aton would read as octal)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--frobnicate"))
                .hasMessage("agent --standalone: unknown option --frobnicate (see --help)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "-zQ"))
                .hasMessage("agent --standalone: unknown option -Q (see --help)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "eth0"))
                .hasMessage("agent --standalone: unexpected argument 'eth0' (options start with - or --)");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "--preempt=yes"))
                .hasMessage("agent --standalone: -P/--preempt takes no value, got 'yes'");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "-k"))
                .hasMessage("agent --standalone: -k/--advskew needs a value");
        assertThatThrownBy(() -> StandaloneOptions.parse("-v", "9", "-p", "x", "-a", "198.51.100.10", "-k", "ten"))
                .hasMessage("agent --standalone: -k/--advskew: expected a whole number from 0 to 255, got 'ten'");
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
    void runExitsWithTwoAndOneLineOnABadOptionAndDocumentsEveryOptionInHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StandaloneAgent.run(new String[] {"-v", "x"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "agent --standalone: -v/--vhid: expected a whole number from 1 to 255, got 'x'" + System.lineSeparator());

        out.reset();
        assertThat(StandaloneAgent.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : UCARP_1_5_2_OPTIONS) {
            assertThat(help).as("--help documents ucarp's " + option).contains(option);
        }
        for (String option : new String[] {"--peer", "--heartbeat", "--isolation-host", "--hold-limit", "--recover-after",
                "--probe-interval", "--probes", "--no-isolation", "--garp-interval", "--health-port", "--run-dir", "--state-dir",
                "--name"}) {
            assertThat(help).as("--help documents " + option).contains(option);
        }
        assertThat(help).startsWith("usage: carp-operator agent --standalone ");
    }
}
