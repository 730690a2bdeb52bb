package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import io.carpoperator.operator.AgentManifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * carp-operator's agent in standalone mode ({@link StandaloneAgentMain}), one JVM per node with the agent pod's JVM
 * flags, the same CARP timers as plain ucarp (advbase 1, skew 0 and 10, preempt) and the watchdog at a 1 s probe
 * interval, hold limit 2, recover after 2. Killing it hard kills the JVM and its ucarp child, as a crashed pod.
 */
final class AgentSystem implements FailoverSystem {

    static final List<String> JVM_FLAGS = List.of(System.getProperty("bench.agentJvm",
            AgentManifests.AGENT_JVM_OPTIONS).trim().split("\\s+"));

    private final BenchPair pair;
    private Process master;
    private Process backup;

    AgentSystem(BenchPair pair) {
        this.pair = pair;
    }

    @Override
    public String name() {
        return "carp-operator agent";
    }

    @Override
    public String slug() {
        return "agent";
    }

    @Override
    public Set<Scenario> scenarios() {
        return EnumSet.allOf(Scenario.class);
    }

    @Override
    public void start(int vhid) {
        master = start(pair.master(), vhid, PlainUcarpSystem.MASTER_SKEW);
        pair.awaitHolder(pair.master(), Duration.ofSeconds(30));
        backup = start(pair.backup(), vhid, PlainUcarpSystem.BACKUP_SKEW);
        pair.awaitProcess(backup, "ucarp", Duration.ofSeconds(30));
    }

    @Override
    public void killMasterHard() {
        ProcessTree.killHard(master);
    }

    @Override
    public void stopMasterGracefully() {
        ProcessTree.terminate(master);
    }

    @Override
    public boolean masterTakesPart() {
        return ProcessTree.descendant(master, "ucarp").isPresent();
    }

    @Override
    public void stopAll() {
        ProcessTree.killAndWait(master);
        ProcessTree.killAndWait(backup);
        master = null;
        backup = null;
    }

    private Process start(LabNode node, int vhid, int skew) {
        LabNode peer = pair.peerOf(node);
        Path runDir = pair.workDir().resolve("agent-" + node.name() + "-" + vhid);
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.addAll(JVM_FLAGS);
        argv.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                testClassPath(), StandaloneAgentMain.class.getName(),
                "-i", node.vipInterface(), "-s", node.address(), "-v", Integer.toString(vhid), "-p", pair.password(),
                "-a", pair.vip() + "/" + BenchPair.PREFIX, "-b", "1", "-k", Integer.toString(skew), "-P", "-z",
                "--peer", peer.address(), "--heartbeat", peer.heartbeatAddress(), "--isolation-host", pair.isolationHost(),
                "--hold-limit", "2", "--recover-after", "2", "--probe-interval", "1s", "--health-port", "0",
                "--run-dir", runDir.toString(), "--name", "bench-" + vhid));
        ProcessBuilder builder = node.command(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pair.workDir().resolve("agent-" + node.name() + ".log").toFile()));
        builder.environment().putAll(AgentManifests.AGENT_NATIVE_ENV);
        return node.start(builder);
    }

    /** The test class path failsafe gave this JVM, so a child JVM runs the same classes. */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
