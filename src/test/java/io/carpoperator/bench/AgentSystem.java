package io.carpoperator.bench;

import io.carpoperator.agent.AgentRuntime;
import io.carpoperator.lab.LabNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * carp-operator's agent in standalone mode ({@link StandaloneAgentMain}), one JVM per node with the agent pod's JVM
 * flags, the same CARP timers as plain ucarp (advbase 1, skew 0 and 10, preempt) and the watchdog at a 1 s probe
 * interval, hold limit 2, recover after 2. Killing it hard kills the JVM and its ucarp child, as a crashed pod. The JVM
 * leads its own process group; where its ucarp child runs (that group or a session of its own) is the agent's choice.
 */
final class AgentSystem extends ProcessPairSystem {

    static final List<String> JVM_FLAGS = List.of(System.getProperty("bench.agentJvm",
            AgentRuntime.JVM_OPTIONS).trim().split("\\s+"));

    AgentSystem(BenchPair pair) {
        super(pair, "carp-operator agent", "agent", EnumSet.allOf(Scenario.class));
    }

    @Override
    String electionProcess() {
        return "ucarp";
    }

    @Override
    Process startOn(LabNode node, int vhid, boolean preferred) {
        int skew = preferred ? PlainUcarpSystem.MASTER_SKEW : PlainUcarpSystem.BACKUP_SKEW;
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
                "--run-dir", runDir.toString(), "--state-dir", runDir.resolveSibling(runDir.getFileName() + "-state").toString(),
                "--name", "bench-" + vhid));
        ProcessBuilder builder = instanceCommand(node, argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile()));
        builder.environment().putAll(AgentRuntime.NATIVE_ENV);
        return node.start(builder);
    }

    /** The agent JVM's log: ucarp's lines are in it at DEBUG, after "ucarp[PID] ". */
    @Override
    public Optional<Path> ucarpLog(LabNode node) {
        return Optional.of(log(node));
    }

    private Path log(LabNode node) {
        return pair.workDir().resolve("agent-" + node.name() + ".log");
    }

    /** The test class path failsafe gave this JVM, so a child JVM runs the same classes. */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
