package io.carpoperator.dataplane;

import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeState;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.watchdog.ProbeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs VipRunners inside lab nodes: every command behind {@code ip netns exec NODE}, one run directory per node.
 * Public so the data-plane benchmark ({@code io.carpoperator.bench}) drives the same runners as the lab tests.
 */
public final class LabAgents implements AutoCloseable {

    static final String PASSWORD = "lab-secret";
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    static final int HOLD_LIMIT = 2;

    /** One VIP's runner on one node, with every report it published. */
    public record RunningVip(LabNode node, VipRunner runner, List<VipReport> reports) {
        public NodeState state() {
            return runner.report().state();
        }

        public RunningVip awaitState(NodeState wanted, Duration within) {
            await().atMost(within).pollInterval(Duration.ofMillis(20))
                    .until(() -> state() == wanted);
            return this;
        }

        public boolean everReported(NodeState state) {
            return reports.stream().anyMatch(r -> r.state() == state);
        }
    }

    private final Lab lab;
    private final Path root;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(6, r -> {
        Thread t = new Thread(r, "lab-agents");
        t.setDaemon(true);
        return t;
    });
    private final AgentMetrics metrics = new AgentMetrics();
    private final List<RunningVip> running = new CopyOnWriteArrayList<>();
    private final Map<String, DataPlaneEnvironment> environments = new ConcurrentHashMap<>();

    public LabAgents(Lab lab) throws IOException {
        this.lab = lab;
        this.root = Files.createTempDirectory(lab.runPrefix() + "-agents-");
    }

    AgentMetrics metrics() {
        return metrics;
    }

    static VipSettings settings(String name, String vip, int vhid, int skew, boolean preempt, String password,
                                List<String> peers, List<String> heartbeats) {
        return settings(name, vip, vhid, skew, preempt, password, peers, heartbeats, PROBE_INTERVAL, HOLD_LIMIT);
    }

    /** advbase 1, both probe kinds, recover after 2, GARP every 2 s; the isolation host is the node's default gateway. */
    public static VipSettings settings(String name, String vip, int vhid, int skew, boolean preempt, String password,
                                       List<String> peers, List<String> heartbeats, Duration probeInterval, int holdLimit) {
        return new VipSettings(name, vip, 24, null, null, vhid, preempt, 1, skew, password, true, peers, heartbeats,
                List.of(), Set.of(ProbeKind.ICMP, ProbeKind.ARP), probeInterval, holdLimit, 2, Duration.ofSeconds(2));
    }

    /** Settings for {@code node} whose peers and heartbeats are the other given nodes. */
    static VipSettings settings(String name, String vip, int vhid, int skew, boolean preempt, LabNode self, List<LabNode> others) {
        List<LabNode> peers = others.stream().filter(n -> n != self).toList();
        return settings(name, vip, vhid, skew, preempt, PASSWORD, peers.stream().map(LabNode::address).toList(),
                peers.stream().map(LabNode::heartbeatAddress).toList());
    }

    public RunningVip start(LabNode node, VipSettings settings) {
        List<VipReport> reports = new CopyOnWriteArrayList<>();
        // one environment per node, as an agent has: its VIPs share the node's wire helper
        DataPlaneEnvironment env = environments.computeIfAbsent(node.name(), name -> DataPlaneEnvironment.forHost(
                root.resolve(name), List.of("ip", "netns", "exec", node.namespace()), scheduler, metrics));
        VipRunner runner = VipRunner.start(settings, reports::add, env);
        RunningVip vip = new RunningVip(node, runner, reports);
        running.add(vip);
        return vip;
    }

    /** Stops every runner (without handover) and clears the list; the lab stays. */
    public void stopAll() {
        for (RunningVip vip : running) {
            vip.runner().stop(false);
        }
        running.clear();
    }

    /** Closes the agents, then the lab; either may be null (its {@code @BeforeAll} failed before it was built). */
    /**
     * {@code master} MASTER (skew 0) first, then {@code backup} BACKUP at {@code backupSkew}, both probing each other:
     * the pair most lab tests start from.
     */
    RunningVip[] masterAndBackup(LabNode master, LabNode backup, String vip, int vhid, int backupSkew, boolean preempt) {
        List<LabNode> pair = List.of(master, backup);
        RunningVip first = start(master, settings("web", vip, vhid, 0, preempt, master, pair));
        first.awaitState(NodeState.MASTER, Duration.ofSeconds(8));
        RunningVip second = start(backup, settings("web", vip, vhid, backupSkew, preempt, backup, pair));
        second.awaitState(NodeState.BACKUP, Duration.ofSeconds(5));
        return new RunningVip[] {first, second};
    }

    public static void close(LabAgents agents, Lab lab) throws IOException {
        try {
            if (agents != null) {
                agents.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        stopAll();
        environments.values().forEach(DataPlaneEnvironment::close);
        environments.clear();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
