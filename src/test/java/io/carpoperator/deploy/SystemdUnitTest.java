package io.carpoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.agent.AgentRuntime;
import io.carpoperator.agent.ClusterAgent;
import io.carpoperator.agent.StandaloneOptions;
import io.carpoperator.watchdog.ProbeKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone agent's systemd units stop it the way its handover needs and give it the time its budget asks for;
 * the template unit carp-agent@.service renders, from the sample conf, a command line the agent accepts, and its
 * sandbox leaves the agent what it uses.
 */
class SystemdUnitTest {

    static final Path UNIT = Path.of("deploy/systemd/carp-agent.service");
    static final Path ENV = Path.of("deploy/systemd/agent.env.example");
    static final Path TEMPLATE = Path.of("deploy/systemd/carp-agent@.service");
    static final Path SAMPLE_CONF = Path.of("deploy/systemd/carp-example.conf");
    static final String INSTANCE = "vip99";
    /** The agent's exit code for a bad command line (StandaloneAgent, CarpMain). */
    static final String USAGE_ERROR = "2";

    @Test
    void sigtermGoesToTheAgentAloneAndTheStopTimeoutCoversItsShutdownBudget() throws IOException {
        Map<String, String> service = keys(Files.readString(UNIT));
        assertThat(service).containsEntry("KillMode", "mixed").containsEntry("KillSignal", "SIGTERM")
                .containsEntry("Restart", "on-failure").containsEntry("SuccessExitStatus", "143")
                .containsEntry("RuntimeDirectory", "carp-operator").containsEntry("RuntimeDirectoryPreserve", "yes");
        Duration stopTimeout = Duration.ofSeconds(Long.parseLong(service.get("TimeoutStopSec")));
        assertThat(stopTimeout).as("TimeoutStopSec above the shutdown budget, with room for the kill")
                .isGreaterThanOrEqualTo(ClusterAgent.SHUTDOWN_BUDGET.plusSeconds(3));
        assertThat(service.get("ExecStart")).contains("agent --standalone $CARP_AGENT_ARGS").contains("exec ");
    }

    @Test
    void theExampleEnvironmentUsesTheAgentsJvmFlagsAndAPassfile() throws IOException {
        Map<String, String> env = keys(Files.readString(ENV));
        assertThat(env.get("JAVA_OPTS")).isEqualTo(AgentRuntime.JVM_OPTIONS);
        assertThat(env.get("CARP_AGENT_ARGS")).contains(" -o ").doesNotContain(" -p ").doesNotContain("--pass ");
    }

    private static Map<String, String> keys(String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                keys.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return keys;
    }

    // ---- carp-agent@.service ------------------------------------------------------------------------------------

    /** The template's [Service] settings as systemd reads them for instance vip99 (specifiers expanded). */
    static Map<String, List<String>> template() throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        SystemdCommandLine.settings(Files.readString(TEMPLATE)).forEach((key, values) -> settings.put(key,
                values.stream().map(v -> SystemdCommandLine.specifiers(v, INSTANCE)).toList()));
        return settings;
    }

    static String one(Map<String, List<String>> settings, String key) {
        List<String> values = settings.get("Service." + key);
        assertThat(values).as(key).isNotNull().hasSize(1);
        return values.get(0);
    }

    /** The argv systemd executes for carp-agent@vip99 with the sample conf as /etc/carp/vip99.conf. */
    static List<String> renderedArgv() throws IOException {
        Map<String, List<String>> unit = template();
        assertThat(one(unit, "EnvironmentFile")).isEqualTo("/etc/carp/" + INSTANCE + ".conf");
        Map<String, String> environment = SystemdCommandLine.environment(unit.get("Service.Environment"));
        // "Settings from these files override settings made with Environment=" (systemd.exec)
        environment.putAll(SystemdCommandLine.environmentFile(Files.readString(SAMPLE_CONF)));
        return SystemdCommandLine.expand(SystemdCommandLine.unquote(one(unit, "ExecStart")), environment);
    }

    /** The one call into the agent's option parser (re-point it here if the parser changes). */
    static StandaloneOptions agentOptions(List<String> standaloneArgs) throws Exception {
        return StandaloneOptions.parse(standaloneArgs.toArray(String[]::new));
    }

    @Test
    void theTemplateRendersTheSampleConfIntoTheSeedsVipOnACommandLineTheAgentAccepts(@TempDir Path dir) throws Exception {
        List<String> argv = renderedArgv();
        int standalone = argv.indexOf("--standalone");
        assertThat(argv.subList(0, standalone + 1)).containsExactlyElementsOf(concat(List.of("/usr/bin/java"),
                Arrays.asList(AgentRuntime.JVM_OPTIONS.split(" ")), List.of("-Djava.net.preferIPv4Stack=true", "-jar",
                        "/opt/carp-operator/quarkus-run.jar", "agent", "--standalone")));

        // the host's passfile, which this machine does not have, is a file of the test's; the rest is as rendered
        Path passfile = Files.writeString(dir.resolve("vip99.pass"), "password\n", StandardCharsets.UTF_8);
        List<String> args = argv.subList(standalone + 1, argv.size()).stream()
                .map(a -> a.equals("--passfile=/etc/carp/vip99.pass") ? "--passfile=" + passfile : a).toList();
        assertThat(args).as("the conf names the passfile the README installs").contains("--passfile=" + passfile);

        StandaloneOptions options = agentOptions(args);
        assertThat(options.warnings()).isEmpty();
        assertThat(options.name()).isEqualTo(INSTANCE);
        assertThat(options.interfaceName()).isEqualTo("eth2");
        assertThat(options.sourceAddress()).isEqualTo("172.16.1.1");
        assertThat(options.vhid()).isEqualTo(99);
        assertThat(options.password()).isEqualTo("password");
        assertThat(options.address()).isEqualTo("192.168.10.1");
        assertThat(options.prefixLength()).isEqualTo(24);
        assertThat(options.preempt()).isTrue();
        assertThat(options.advskew()).isZero();
        assertThat(options.peers()).containsExactly("172.16.1.2");
        assertThat(options.heartbeats()).containsExactly("172.31.0.130");
        assertThat(options.isolationHosts()).containsExactly("192.168.10.254");
        assertThat(options.isolationEnabled()).isTrue();
        assertThat(options.holdLimit()).isEqualTo(2);
        assertThat(options.probeInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.probes()).containsExactlyInAnyOrder(ProbeKind.ICMP, ProbeKind.ARP);
        assertThat(options.healthPort()).isEqualTo(StandaloneOptions.DEFAULT_HEALTH_PORT);
        assertThat(options.runDir()).isEqualTo(Path.of("/run/carp"));
        assertThat(options.stateDir()).isEqualTo(Path.of("/run/carp-operator", INSTANCE));
    }

    @Test
    void theConfKeepsThePasswordOffTheCommandLine() throws IOException {
        String args = SystemdCommandLine.environmentFile(Files.readString(SAMPLE_CONF)).get("CARP_ARGS");
        assertThat(args).contains("--passfile=").doesNotContain("--pass=").doesNotContain(" -p ").doesNotContain("--pass ");
    }

    @Test
    void theTemplateStopsLikeTheSingleUnitRestartsAlwaysButNotOnABadConf() throws IOException {
        Map<String, List<String>> unit = template();
        assertThat(one(unit, "KillMode")).isEqualTo("mixed");
        assertThat(one(unit, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(Duration.ofSeconds(Long.parseLong(one(unit, "TimeoutStopSec"))))
                .isGreaterThanOrEqualTo(ClusterAgent.SHUTDOWN_BUDGET.plusSeconds(3));
        assertThat(one(unit, "SuccessExitStatus")).isEqualTo("143");
        assertThat(one(unit, "Restart")).isEqualTo("always");
        assertThat(one(unit, "RestartPreventExitStatus")).isEqualTo(USAGE_ERROR);
        assertThat(one(unit, "Type")).isEqualTo("exec");
    }

    @Test
    void eachInstanceKeepsItsOwnStateAcrossRestartsAndRunsItsHooksFromAnExecutableTmpfsOfItsOwn() throws Exception {
        Map<String, List<String>> unit = template();
        List<String> args = renderedArgv();
        Path stateDir = Path.of("/run", one(unit, "RuntimeDirectory"));
        assertThat(stateDir).isEqualTo(Path.of("/run/carp-operator", INSTANCE));
        assertThat(args).containsSequence("--state-dir", stateDir.toString());
        assertThat(one(unit, "RuntimeDirectoryPreserve")).isEqualTo("yes");
        assertThat(one(unit, "RuntimeDirectoryMode")).isEqualTo("0700");
        assertThat(one(unit, "ReadWritePaths").split(" ")).contains(stateDir.toString());

        String[] tmpfs = one(unit, "TemporaryFileSystem").split(":", 2);
        assertThat(args).containsSequence("--run-dir", tmpfs[0]);
        // ucarp executes the hooks and preloads the library it finds there: no noexec (systemd adds none by default)
        assertThat(tmpfs[1].split(",")).contains("mode=0700").doesNotContain("noexec");
    }

    @Test
    void theSandboxLeavesTheAgentTheTwoCapabilitiesAndFourSocketFamiliesItUsesAndNothingItCannotRunWith() throws IOException {
        Map<String, List<String>> unit = template();
        assertThat(unit).doesNotContainKeys("Service.User", "Service.DynamicUser");
        assertThat(Set.of(one(unit, "CapabilityBoundingSet").split(" "))).containsExactlyInAnyOrder("CAP_NET_ADMIN", "CAP_NET_RAW");
        assertThat(Set.of(one(unit, "RestrictAddressFamilies").split(" ")))
                .containsExactlyInAnyOrder("AF_UNIX", "AF_INET", "AF_NETLINK", "AF_PACKET");
        for (String yes : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname",
                "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "PrivateMounts")) {
            assertThat(one(unit, yes)).as(yes).isEqualTo("yes");
        }
        assertThat(one(unit, "ProtectSystem")).isEqualTo("strict");
        // the JIT needs writable, then executable memory; an untested syscall allow-list would kill it with SIGSYS
        assertThat(unit).doesNotContainKeys("Service.MemoryDenyWriteExecute", "Service.SystemCallFilter",
                "Service.ProtectProc", "Service.ProcSubset", "Service.PrivateNetwork");
    }

    /** systemd 252's own parser, where systemd-analyze is installed: no warning, and the command line we read. */
    @Test
    void systemdAnalyzeLoadsTheTemplateWithoutAWarningAndReadsItsCommandLineAsWeDo(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed here; the reading above is the"
                + " manual's rules only");
        Path instance = Files.copy(TEMPLATE, dir.resolve("carp-agent@" + INSTANCE + ".service"));
        ProcessBuilder builder = new ProcessBuilder("systemd-analyze", "verify", "--man=no", instance.toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        // at debug level verify prints the unit as loaded, command lines included, to the console
        builder.environment().put("SYSTEMD_LOG_TARGET", "console");
        builder.environment().put("SYSTEMD_LOG_LEVEL", "debug");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> aboutOurs = output.lines().filter(l -> l.startsWith(instance + ":")).toList();
        assertThat(aboutOurs).as("systemd's complaints about the template").isEmpty();

        Matcher dumped = Pattern.compile("(?m)^\\s*Command Line: (.*)$").matcher(output);
        Assumptions.assumeTrue(dumped.find(), "this systemd-analyze does not print the command lines it loaded");
        List<String> words = SystemdCommandLine.unquote(one(template(), "ExecStart"));
        assertThat(dumpedWords(dumped.group(1))).containsExactlyElementsOf(words);
        for (String variable : SystemdCommandLine.environment(template().get("Service.Environment")).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()) {
            assertThat(output).contains("Environment: " + variable);
        }
    }

    /** The dump quotes a word that needs it in double quotes, escaping with a backslash ({@code "\$JAVA_OPTS"}). */
    private static List<String> dumpedWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                words.add(word.toString());
                word.setLength(0);
            } else {
                word.append(c);
            }
        }
        words.add(word.toString());
        return words;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, command))) {
                return true;
            }
        }
        return false;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
