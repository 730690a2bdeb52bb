package io.carpoperator.bench;

import io.carpoperator.api.NodeState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the simulated agents of {@link ScaleBench} talk to the API server: what each writes, at which rate, and which
 * objects each watches. One implementation per status model, so "before" and "after" run in the same harness.
 */
interface SimulatedAgentModel extends AutoCloseable {

    /** One line for the report, e.g. "status.nodes.<node> merge patch per VirtualIP every 10 s". */
    String description();

    /** The agents' writes in steady state as the model intends them, per second, for {@code nodes} and {@code vips}. */
    double offeredWritesPerSecond(int nodes, int vips);

    /**
     * Starts one simulated agent per node, each after a random delay within {@code startSpread} (real agents do not
     * start in step). {@code initialMaster} names the node that reports MASTER for a VIP at first; all others BACKUP.
     */
    void start(List<String> nodes, List<String> vips, java.util.function.Function<String, String> initialMaster,
            Duration startSpread);

    /** {@code node}'s agent reports a new state for {@code vip} as a real agent would: at once, not at the next refresh. */
    void report(String node, String vip, NodeState state);

    /** Runs on {@code client} the informers one real agent of this model runs, counting every event they deliver. */
    AutoCloseable watchAsAgent(KubernetesClient client, String node, LongAdder events);

    /** The agents' writes so far, as the agents saw them. */
    AgentWrites.Snapshot writes();

    /** Stops every simulated agent; bounded. */
    @Override
    void close();
}
