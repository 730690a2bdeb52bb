package io.carpoperator.bench;

import io.carpoperator.dataplane.VipReport;
import io.carpoperator.agent.NodeStatusReporter;
import io.carpoperator.api.AgentConfig;
import io.carpoperator.api.NodeState;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
 * The trust-boundary model (issue 13): every agent writes one NodeReport named after its node, holding its entry for
 * every VirtualIP, at once on a change and again every refresh interval — through the agent's own
 * {@link NodeStatusReporter} and patcher, so timing and payload are the real ones — and watches only the operator's
 * ConfigMaps and password copies of its namespace, as {@code AgentConfigWatcher} does.
 *
 * <p>The probe round in each entry is what a real agent sends: the other selected nodes as peers and heartbeats, plus
 * one isolation host (the addresses are data for the mock API server only; nothing is sent to them).
 */
final class NodeReportWrites implements SimulatedAgentModel {
    static final String ISOLATION_HOST = "198.51.100.1";

    private final KubernetesClient client;
    private final Duration refresh;
    private final Random random;
    private final int probeTargets;
    private final AgentWrites writes = new AgentWrites();
    private final Map<String, Agent> agents = new LinkedHashMap<>();

    private record Agent(String node, String address, ScheduledExecutorService thread, NodeStatusReporter reporter, ProbeRound round) {
    }

    NodeReportWrites(KubernetesClient client, Duration refresh, long seed, int probeTargets) {
        this.client = client;
        this.refresh = refresh;
        this.random = new Random(seed);
        this.probeTargets = probeTargets;
    }

    @Override
    public String description() {
        return "every agent writes its node's NodeReport, all its VIPs in one object (on change and every " + refresh.toSeconds()
                + " s) and watches only its namespace's ConfigMaps and Secrets; probe round: "
                + (probeTargets == Integer.MAX_VALUE ? "every other node" : "at most " + probeTargets + " other nodes") + " as peer and heartbeat";
    }

    @Override
    public double offeredWritesPerSecond(int nodes, int vips) {
        return (double) nodes / refresh.toMillis() * 1000;
    }

    @Override
    public void start(List<String> nodes, List<String> vips, Function<String, String> initialMaster, Duration startSpread) {
        NodeStatusReporter.StatusPatcher real = NodeStatusReporter.patcher(client);
        NodeStatusReporter.StatusPatcher counted = (node, patch, whole, replace) -> writes.count(patch.length(), () -> {
            real.write(node, patch, whole, replace);
            return null;
        });
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
        // AgentConfigWatcher's informers: the labelled ConfigMaps and Secrets of the agents' namespace, no resync
        SharedIndexInformer<?> configs = watcherClient.configMaps().inNamespace("carp-agents").withLabel(AgentConfig.VIP_LABEL)
                .runnableInformer(0);
        SharedIndexInformer<?> secrets = watcherClient.secrets().inNamespace("carp-agents").withLabel(AgentConfig.VIP_LABEL)
                .runnableInformer(0);
        count(configs, events);
        count(secrets, events);
        configs.start();
        secrets.start();
        return () -> {
            configs.stop();
            secrets.stop();
        };
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static void count(SharedIndexInformer informer, LongAdder events) {
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata object) {
                events.increment();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                events.increment();
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                events.increment();
            }
        });
    }

    @Override
    public AgentWrites.Snapshot writes() {
        return writes.snapshot();
    }

    @Override
    public void close() {
        agents.values().forEach(agent -> agent.thread().shutdownNow());
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
        String reason = state == NodeState.MASTER ? "ucarp: became MASTER" : "ucarp: became BACKUP";
        return new VipReport(state, Instant.now(), reason, agent.address(), agent.round(), 0, List.of());
    }

    /** The round a real agent on node {@code self} reports: other nodes as peer and heartbeat, one isolation host. */
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

    /** Data only: the bench's nodes are Node objects in the mock API server, never probed. */
    static String vipNetworkAddress(int node) {
        return "198.51." + (100 + node / 250) + "." + (node % 250 + 2);
    }

    static String heartbeatAddress(int node) {
        return "203.0." + (113 + node / 250) + "." + (node % 250 + 2);
    }
}
