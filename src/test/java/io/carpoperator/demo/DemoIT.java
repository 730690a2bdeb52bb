package io.carpoperator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.testing.LabTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's main command, end to end: the packaged jar's demo mode with real ucarp in a lab, the in-process API,
 * the operator and three agents. Asserts the summary against the issue's bounds, kubectl against a held demo, and that
 * nothing is left behind (also after Ctrl-C).
 */
@LabTest
class DemoIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern SUMMARY_ROW = Pattern.compile(
            "^\\s+(\\w+)\\s+(yes|no)\\s+([a-z ]+?)\\s+(\\d+\\.\\d+) s\\s+<= [0-9.]+ s\\s+(ok|FAILED)$");
    private static final Pattern LAB = Pattern.compile("carp demo: lab (carplab-[0-9a-f]{6}):");
    private static final Pattern API = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+);");
    private static final Pattern KUBECONFIG = Pattern.compile("export KUBECONFIG=(\\S+);");

    @BeforeEach
    void needsTheLab() {
        assertThat(JAR).as("the packaged jar is missing: run mvn package (mvn verify does) first").exists();
    }

    @Test
    void everyStepReachesItsStateWithinTheIssuesBoundsAndNothingIsLeftBehind() throws Exception {
        Demo demo = Demo.start();
        assertThat(demo.process.waitFor(4, TimeUnit.MINUTES)).as("the demo ends within 4 minutes").isTrue();
        demo.reader.join(5000);
        String output = demo.output();

        assertThat(demo.process.exitValue()).as(output).isZero();
        assertThat(output).as("one node's agent cannot write another node's report")
                .containsPattern("carp demo: node2's agent tried to write node1's NodeReport: refused \\(403 .*node node2 may write only its own NodeReport, not node1");
        Map<String, Row> rows = summary(output);
        assertThat(rows.keySet()).as(output).containsExactly("election", "kill", "link", "isolation", "recovery", "handover", "invalid");
        rows.values().forEach(row -> assertThat(row.reached()).as("%s reached its expected state\n%s", row.step(), output).isTrue());
        assertThat(rows.get("kill").seconds()).as("failover outage, master's ucarp killed").isLessThanOrEqualTo(4.0);
        assertThat(rows.get("link").seconds()).as("failover outage, master's link down").isLessThanOrEqualTo(4.0);
        assertThat(rows.get("isolation").seconds()).as("isolation withdraw at a 1 s probe interval").isLessThanOrEqualTo(3.0);
        assertThat(rows.get("handover").seconds()).as("graceful handover outage").isLessThanOrEqualTo(1.0);
        assertThat(rows.get("invalid").seconds()).as("an invalid edit tears nothing down").isLessThanOrEqualTo(0.5);
        assertNothingLeftBehind(demo.lab(), output);
    }

    @Test
    void aHeldDemoAnswersKubectlRefusesASecondDemoAndCtrlCRemovesEverything() throws Exception {
        Demo demo = Demo.start("--scenario", "election", "--hold");
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> demo.output().contains("carp demo: holding"));
            String output = demo.output();
            String api = find(API, output);

            assertThat(get(api + "/apis/carp-operator.io/v1alpha1")).contains("\"shortNames\":[\"vip\"]");
            // three agents started at once: their master-down timers run out within milliseconds, all three claim the
            // VIP and ucarp sorts it out over a few advert periods (a new master's first advert comes a period late)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(get(api + "/apis/carp-operator.io/v1alpha1/virtualips/carp99")).contains("\"master\":\"node1\"")
                            .contains("\"phase\":\"Ready\""));
            assertThat(get(api + "/apis/carp-operator.io/v1alpha1/nodereports/node1")).as("node1's own report")
                    .contains("\"carp99\"").contains("\"state\":\"MASTER\"");
            Optional<Path> kubectl = DemoApiServerTest.findKubectl();
            if (kubectl.isPresent()) {
                Path kubeconfig = Path.of(find(KUBECONFIG, output));
                assertThat(DemoApiServerTest.kubectl(kubectl.get(), kubeconfig, "get", "vip"))
                        .containsPattern("carp99\\s+198\\.51\\.100\\.10/24\\s+99\\s+node1\\s+Ready");
                assertThat(DemoApiServerTest.kubectl(kubectl.get(), kubeconfig, "get", "vip", "carp99", "-o", "yaml"))
                        .contains("state: MASTER").contains("preferredNodes:");
                Path manifest = Files.createTempFile("second-vip", ".yaml");
                Files.writeString(manifest, DemoApiServerTest.WEB_VIP);
                assertThat(DemoApiServerTest.kubectl(kubectl.get(), kubeconfig, "apply", "-f", manifest.toString()))
                        .contains("virtualip.carp-operator.io/web created");
                await().atMost(Duration.ofSeconds(30)).until(() -> DemoApiServerTest.kubectl(kubectl.get(), kubeconfig,
                        "get", "vip", "web", "-o", "jsonpath={.status.phase}/{.status.master}").matches("Ready/node\\d"));
                Files.delete(manifest);
            }

            Process second = new ProcessBuilder(Demo.command(List.of())).redirectErrorStream(true).start();
            String secondOutput = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(secondOutput).isEqualTo(1);
            assertThat(secondOutput).contains("carp demo: another demo is already running (pid " + demo.process.pid() + ")");
        } finally {
            new ProcessBuilder("kill", "-INT", Long.toString(demo.process.pid())).start().waitFor();
            assertThat(demo.process.waitFor(60, TimeUnit.SECONDS)).as("Ctrl-C ends the demo").isTrue();
        }
        demo.reader.join(5000);
        String output = demo.output();
        assertThat(output).contains("carp demo: removed the lab");
        assertNothingLeftBehind(demo.lab(), output);
    }

    @Test
    void theNextDemoRemovesWhatAKilledOneLeftBehind() throws Exception {
        Demo killed = Demo.start("--scenario", "election", "--hold");
        await().atMost(Duration.ofSeconds(90)).until(() -> killed.output().contains("carp demo: holding"));
        String lab = killed.lab();
        killed.process.destroyForcibly(); // kill -9: no clean-up of its own
        assertThat(killed.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Demo next = Demo.start("--scenario", "election");
        assertThat(next.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        next.reader.join(5000);
        String output = next.output();
        assertThat(next.process.exitValue()).as(output).isZero();
        assertThat(output).contains("carp demo: removed lab " + lab + ", left behind by a run that was killed");
        assertNothingLeftBehind(lab, output);
        assertNothingLeftBehind(next.lab(), output);
    }

    @Test
    void theWrapperStopsAtOnceWithTheCommandToRunWhenNotRoot() throws Exception {
        // a copy in a world-readable directory: the checkout itself may sit under a directory only root can enter
        Path directory = Files.createTempDirectory("carp-wrapper", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        Path wrapper = Files.copy(Path.of("carp"), directory.resolve("carp"));
        Process process = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bash", wrapper.toString(), "demo")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        Files.delete(wrapper);
        Files.delete(directory);
        assertThat(output.strip()).isEqualTo("carp: the demo builds network namespaces and runs ucarp, which needs root: sudo ./carp demo");
    }

    private static void assertNothingLeftBehind(String lab, String output) throws IOException, InterruptedException {
        Process list = new ProcessBuilder("ip", "netns", "list").start();
        String namespaces = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor();
        assertThat(namespaces).as("namespaces of " + lab).doesNotContain(lab);
        Process ucarps = new ProcessBuilder("pgrep", "-f", "ucarp .*-a 198\\.51\\.100\\.(10|20) ").start();
        String pids = new String(ucarps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ucarps.waitFor();
        assertThat(pids).as("ucarp processes of the demo").isBlank();
        assertThat(DemoRun.DIRECTORY.resolve("kubeconfig")).doesNotExist();
        assertThat(DemoRun.DIRECTORY.resolve("demo.lock")).doesNotExist();
        assertThat(DemoRun.DIRECTORY.resolve("agents")).doesNotExist();
        assertThat(output).doesNotContain("could not remove");
    }

    record Row(String step, boolean reached, String measure, double seconds, boolean ok) {
    }

    static Map<String, Row> summary(String output) {
        Map<String, Row> rows = new LinkedHashMap<>();
        boolean inSummary = false;
        for (String line : output.split("\n")) {
            inSummary |= line.startsWith("SUMMARY");
            Matcher row = SUMMARY_ROW.matcher(line);
            if (inSummary && row.matches()) {
                rows.put(row.group(1), new Row(row.group(1), row.group(2).equals("yes"), row.group(3),
                        Double.parseDouble(row.group(4)), row.group(5).equals("ok")));
            }
        }
        return rows;
    }

    private static String find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        assertThat(matcher.find()).as("%s in\n%s", pattern, output).isTrue();
        return matcher.group(1);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    /** The packaged jar in demo mode, its output collected (and echoed, so CI logs show the demo). */
    private record Demo(Process process, Thread reader, List<String> lines) {
        static List<String> command(List<String> args) {
            // env --default-signal=INT: a build started in the background inherits SIGINT ignored, and a JVM whose SIGINT
            // is ignored never runs its shutdown hooks on it; a user's Ctrl-C always arrives with the default action
            List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.log.category.\"io.quarkus\".level=WARN", "-jar", JAR.toString(), "demo"));
            command.addAll(args);
            return command;
        }

        static Demo start(String... args) throws IOException {
            Process process = new ProcessBuilder(command(List.of(args))).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        System.out.println("[demo] " + line);
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "demo-output");
            reader.setDaemon(true);
            reader.start();
            return new Demo(process, reader, lines);
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        String lab() {
            return find(LAB, output());
        }
    }
}
