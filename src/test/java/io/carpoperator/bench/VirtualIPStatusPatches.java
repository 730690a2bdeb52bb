package io.carpoperator.bench;

import io.carpoperator.agent.NodeStatusReporter;
import io.carpoperator.agent.VipReport;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Today's model: every agent writes its own entry, status.nodes.&lt;node&gt;, of every VirtualIP it runs with a JSON merge
 * patch, at once on a change and again every refresh interval (10 s) — through the agent's own
 * {@link NodeStatusReporter} (coalescing, refresh, back-off) and patcher, so timing and payload are the real ones. Every
 * agent watches every VirtualIP.
 *
 * <p>Each simulated node gets the reporter's own writer thread, as in a real agent (the reporter's state belongs to that
 * thread). The probe round in each report is the one a real agent sends: every other selected node as peer and as
 * heartbeat target (the agent takes them from the other nodes' entries), plus one isolation host.
 */
final class VirtualIPStatusPatches implements SimulatedAgentModel {
    static final String ISOLATION_HOST = "10.255.0.1";

    private final KubernetesClient client;
    private final Duration refresh;
    private final Random random;
    private final int probeTargets;
    private final AgentWrites writes = new AgentWrites();
    private final Map<String, Agent> agents = new LinkedHashMap<>();

    private record Agent(String node, String address, ScheduledExecutorService thread, NodeStatusReporter reporter,
            ProbeRound round) {
    }

    /**
     * @param client       the agents' client (its user agent tells the benchmark's request tally who wrote)
     * @param probeTargets at most this many peers (and heartbeat targets) in a probe round; a real agent has every
     *                     other node, which makes each entry grow with the cluster — fewer separates count from size
     */
    VirtualIPStatusPatches(KubernetesClient client, Duration refresh, long seed, int probeTargets) {
        this.client = client;
        this.refresh = refresh;
        this.random = new Random(seed);
        this.probeTargets = probeTargets;
    }

    @Override
    public String description() {
        return "every agent merge-patches status.nodes.<node> of every VirtualIP (on change and every " + refresh.toSeconds()
                + " s) and watches every VirtualIP; probe round: " + (probeTargets == Integer.MAX_VALUE ? "every other node"
                : "at most " + probeTargets + " other nodes") + " as peer and heartbeat";
    }

    @Override
    public double offeredWritesPerSecond(int nodes, int vips) {
        return (double) nodes * vips / refresh.toMillis() * 1000;
    }

    @Override
    public void start(List<String> nodes, List<String> vips, Function<String, String> initialMaster, Duration startSpread) {
        NodeStatusReporter.StatusPatcher real = NodeStatusReporter.patcher(client);
        NodeStatusReporter.StatusPatcher counted = (vip, body) -> writes.count(body.length(), () -> real.patch(vip, body));
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-agent-" + node);
                t.setDaemon(true);
                return t;
            });
            var reporter = new NodeStatusReporter(node, heartbeatAddress(i), counted, thread, Clock.systemUTC(), refresh);
            agents.put(node, new Agent(node, vipNetworkAddress(i), thread, reporter, probeRound(i, nodes.size(), probeTargets)));
        }
        for (Agent agent : agents.values()) {
            long delay = (long) (random.nextDouble() * startSpread.toMillis());
            agent.thread().schedule(() -> {
                for (String vip : vips) {
                    NodeState state = agent.node().equals(initialMaster.apply(vip)) ? NodeState.MASTER : NodeState.BACKUP;
                    agent.reporter().report(vip, report(agent, state));
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void report(String node, String vip, NodeState state) {
        Agent agent = agents.get(node);
        agent.reporter().report(vip, report(agent, state));
    }

    @Override
    public AutoCloseable watchAsAgent(KubernetesClient watcherClient, String node, LongAdder events) {
        // VirtualIPWatcher's informer: every VirtualIP, cluster-wide, no resync
        SharedIndexInformer<VirtualIP> informer = watcherClient.resources(VirtualIP.class).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VirtualIP vip) {
                events.increment();
            }

            @Override
            public void onUpdate(VirtualIP before, VirtualIP after) {
                events.increment();
            }

            @Override
            public void onDelete(VirtualIP vip, boolean finalStateUnknown) {
                events.increment();
            }
        });
        informer.start();
        return informer::stop;
    }

    @Override
    public AgentWrites.Snapshot writes() {
        return writes.snapshot();
    }

    @Override
    public void close() {
        agents.values().forEach(agent -> agent.thread().shutdownNow());
        // one deadline for all: a writer blocked on a saturated server may not end at once, and there are hundreds
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Agent agent : agents.values()) {
            try {
                if (!agent.thread().awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static VipReport report(Agent agent, NodeState state) {
        Instant now = Instant.now();
        String reason = state == NodeState.MASTER ? "ucarp: became MASTER" : "ucarp: became BACKUP";
        return new VipReport(state, now, reason, agent.address(), agent.round(), 0);
    }

    /** The round a real agent on node {@code self} reports: every other node as peer and heartbeat, one isolation host. */
    private static ProbeRound probeRound(int self, int nodes, int limit) {
        List<ProbeResult> results = new ArrayList<>();
        int others = 0;
        for (int i = 0; i < nodes && others < limit; i++) {
            if (i != self) {
                others++;
                Duration rtt = Duration.ofNanos((150 + (i * 37L) % 400) * 1000);
                results.add(ProbeResult.answered(ProbeTarget.icmp(TargetRole.PEER, vipNetworkAddress(i)), rtt));
                results.add(ProbeResult.answered(ProbeTarget.icmp(TargetRole.HEARTBEAT, heartbeatAddress(i)), rtt));
            }
        }
        results.add(ProbeResult.answered(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, ISOLATION_HOST), Duration.ofNanos(300_000)));
        return new ProbeRound(Instant.now(), results);
    }

    static String vipNetworkAddress(int node) {
        return "10.1." + node / 250 + "." + (node % 250 + 1);
    }

    static String heartbeatAddress(int node) {
        return "10.2." + node / 250 + "." + (node % 250 + 1);
    }
}
