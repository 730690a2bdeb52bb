package io.carpoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.bench.StandaloneAgentMain;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.testing.LabTest;
import io.carpoperator.testing.StrictKubernetesServerTestResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent killed with SIGKILL runs no cleanup; the next one, started with the same state directory, sweeps what it
 * left and, in a cluster with the API server down, serves the VIPs it recorded. Each agent is its own JVM (the
 * standalone one inside the node's namespace, the cluster one in the root namespace with its data plane in the node's,
 * so it reaches the in-process API server on loopback), killed the way the kernel's OOM killer would.
 */
@LabTest
class NodeStateLabIT {
    private static final String OLD_VIP = "198.51.100.10";
    private static final String NEW_VIP = "198.51.100.20";
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private Path work;
    private final List<Process> agents = new ArrayList<>();

    @BeforeEach
    void workDirectory() throws IOException {
        work = Files.createTempDirectory("node-state-lab-");
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        for (Process agent : agents) {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aStandaloneAgentKilledHardLeavesNeitherItsAddressNorAnOrphanedUcarpOnceOneStartsAgain() throws Exception {
        try (Lab lab = Lab.builder().nodes(1).build()) {
            LabNode node = lab.node(1);
            Path stateDir = work.resolve("state");
            Process first = standalone(node, "web", OLD_VIP, 41, stateDir);
            await().atMost(START_LIMIT).until(() -> node.hasAddress(OLD_VIP));
            List<Long> oldUcarp = ucarpPids(node, 41);
            assertThat(oldUcarp).hasSize(1);

            lab.faults().killHard(first); // the JVM only: its ucarp is orphaned and keeps the address
            assertThat(first.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(node.hasAddress(OLD_VIP)).as("nobody removed the address").isTrue();

            standalone(node, "db", NEW_VIP, 42, stateDir);
            await().atMost(START_LIMIT).until(() -> node.hasAddress(NEW_VIP));
            assertThat(node.hasAddress(OLD_VIP)).as("swept at start").isFalse();
            assertThat(ucarpPids(node, 41)).as("the orphaned ucarp was killed").isEmpty();
            assertThat(ProcessHandle.of(oldUcarp.get(0)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(Files.readString(work.resolve("agent-db.log"))).contains("swept: removed " + OLD_VIP + "/24");
        }
    }

    @Test
    void aVipDeletedWhileTheClusterAgentWasDownLosesItsAddressWhenTheAgentStarts() throws Exception {
        KubernetesMockServer api = StrictKubernetesServerTestResource.startStrictServer();
        try (Lab lab = Lab.builder().nodes(1).build(); KubernetesClient client = api.createClient()) {
            LabNode node = lab.node(1);
            Process first = clusterAgentServing(client, api.url("/"), node, 43);

            killTree(lab, first);
            assertThat(node.hasAddress(OLD_VIP)).as("a killed agent removes nothing").isTrue();
            client.configMaps().inNamespace(AgentFixtures.NAMESPACE).withName("web").delete(); // the operator withdrew it

            clusterAgent(api.url("/"), node, "second", 10);
            await().atMost(START_LIMIT).until(() -> !node.hasAddress(OLD_VIP));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> !node.hasAddress(OLD_VIP));
            assertThat(ucarpPids(node, 43)).isEmpty();
            assertThat(Files.readString(work.resolve("agent-second.log"))).contains("swept: removed " + OLD_VIP + "/24")
                    .doesNotContain("API unreachable");
        } finally {
            api.destroy();
        }
    }

    @Test
    void aClusterAgentRestartedDuringAnApiOutageServesItsVipsAgain() throws Exception {
        KubernetesMockServer api = StrictKubernetesServerTestResource.startStrictServer();
        try (Lab lab = Lab.builder().nodes(1).build(); KubernetesClient client = api.createClient()) {
            LabNode node = lab.node(1);
            String apiUrl = api.url("/");
            Process first = clusterAgentServing(client, apiUrl, node, 44);

            api.destroy(); // the API server is gone for good
            killTree(lab, first);
            clusterAgent(apiUrl, node, "second", 2);
            await().atMost(START_LIMIT).until(() -> Files.readString(work.resolve("agent-second.log")).contains("API unreachable: serving 1 VIP(s)"));
            await().atMost(START_LIMIT).until(() -> node.hasAddress(OLD_VIP));
            assertThat(ucarpPids(node, 44)).as("one ucarp: the old one was swept, the new one serves").hasSize(1);
        } finally {
            api.destroy();
        }
    }

    /** {@code agent --standalone} in the node's namespace, without the isolation watchdog (nothing here isolates). */
    private Process standalone(LabNode node, String name, String vip, int vhid, Path stateDir) {
        List<String> argv = javaCommand(StandaloneAgentMain.class);
        argv.addAll(List.of("-i", node.vipInterface(), "-s", node.address(), "-v", Integer.toString(vhid), "-p", "lab-secret",
                "-a", vip + "/24", "-b", "1", "--no-isolation", "--health-port", "0", "--run-dir", work.resolve("run-" + name).toString(),
                "--state-dir", stateDir.toString(), "--name", name));
        return start(node.command(argv), name);
    }

    /** Publishes VirtualIP "web" ({@link #OLD_VIP}) for the node alone and starts its agent; returns once it holds the VIP. */
    private Process clusterAgentServing(KubernetesClient client, String apiUrl, LabNode node, int vhid) throws Exception {
        ApiOutageLabIT.installVirtualIP(client, "web", OLD_VIP + "/24", vhid, node);
        Process agent = clusterAgent(apiUrl, node, "first", 10);
        await().atMost(START_LIMIT).until(() -> node.hasAddress(OLD_VIP));
        return agent;
    }

    /** The cluster agent in the root namespace (it reaches the API server on loopback), its data plane in the node's. */
    private Process clusterAgent(String apiUrl, LabNode node, String run, int apiGraceSeconds) {
        List<String> argv = javaCommand(ClusterAgentMain.class);
        argv.addAll(List.of(apiUrl, node.name(), node.heartbeatAddress(), node.namespace(), work.resolve("run-" + run).toString(),
                work.resolve("state").toString(), Integer.toString(apiGraceSeconds)));
        return start(new ProcessBuilder(argv), run);
    }

    private Process start(ProcessBuilder builder, String name) {
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("agent-" + name + ".log").toFile()));
        builder.environment().putAll(AgentRuntime.NATIVE_ENV);
        try {
            Process process = builder.start();
            agents.add(process);
            return process;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** SIGKILL to the JVM and its ucarp at once, as when the pod's container is killed. */
    private static void killTree(Lab lab, Process agent) throws InterruptedException {
        List<ProcessHandle> tree = Stream.concat(Stream.of(agent.toHandle()), agent.descendants()).toList();
        tree.forEach(process -> lab.faults().killHard(process.pid()));
        assertThat(agent.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    private static List<String> javaCommand(Class<?> main) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.addAll(List.of(AgentRuntime.JVM_OPTIONS.split("\\s+")));
        String classPath = System.getProperty("surefire.test.class.path");
        argv.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                classPath != null && !classPath.isBlank() ? classPath : System.getProperty("java.class.path"), main.getName()));
        return argv;
    }

    /** The ucarp processes running vhid {@code vhid} in the node's namespace. */
    private static List<Long> ucarpPids(LabNode node, int vhid) {
        var result = node.run(List.of("pgrep", "-f", "ucarp .*-v " + vhid + " "));
        return result.output().lines().map(String::strip).filter(line -> line.matches("\\d+")).map(Long::valueOf).toList();
    }
}
