package io.carpoperator.demo;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.Phase;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.OutageReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** What the demo's steps act on and look at: the lab, the agents, the API and the client's pings. */
final class DemoWorld {
    private static final Duration POLL = Duration.ofMillis(20);

    private final Lab lab;
    private final DemoCluster cluster;
    private final KubernetesClient client;
    private final ClientPinger pinger;
    private final VirtualIP sample;
    private final String vipName;
    private final String vipAddress;

    DemoWorld(Lab lab, DemoCluster cluster, KubernetesClient client, ClientPinger pinger, VirtualIP sample) {
        this.lab = lab;
        this.cluster = cluster;
        this.client = client;
        this.pinger = pinger;
        this.sample = sample;
        this.vipName = sample.getMetadata().getName();
        this.vipAddress = sample.getSpec().address.replaceFirst("/.*", "");
    }

    /** The VirtualIP the election step applies. */
    VirtualIP sample() {
        return sample;
    }

    Lab lab() {
        return lab;
    }

    DemoCluster cluster() {
        return cluster;
    }

    KubernetesClient client() {
        return client;
    }

    String vipName() {
        return vipName;
    }

    /** The address without its prefix, as the client pings it. */
    String vipAddress() {
        return vipAddress;
    }

    /** node1: the first of preferredNodes, the master whenever it can be. */
    LabNode preferred() {
        return lab.node(1);
    }

    Optional<VirtualIP> vip() {
        try {
            return Optional.ofNullable(client.resources(VirtualIP.class).withName(vipName).get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<String> master() {
        return vip().map(v -> v.getStatus() == null ? null : v.getStatus().master).filter(m -> !m.isEmpty());
    }

    Optional<Phase> phase() {
        return vip().map(v -> v.getStatus() == null ? null : v.getStatus().phase);
    }

    Optional<NodeState> state(LabNode node) {
        return entry(node).map(e -> e.state);
    }

    Optional<NodeStatus> entry(LabNode node) {
        return vip().map(v -> v.getStatus() == null || v.getStatus().nodes == null ? null : v.getStatus().nodes.get(node.name()));
    }

    Optional<Condition> condition(String type) {
        return vip().flatMap(v -> v.getStatus() == null || v.getStatus().conditions == null ? Optional.empty()
                : v.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst());
    }

    /** The nodes whose VIP interface carries the address right now (the data plane, not the status). */
    List<LabNode> holders() {
        return lab.holders(vipAddress);
    }

    /** node holds the address alone, the status names it master and says Ready, and the client gets answers. */
    boolean servedBy(LabNode node) {
        return holders().equals(List.of(node)) && master().filter(node.name()::equals).isPresent()
                && phase().filter(p -> p == Phase.Ready).isPresent() && pinger.repliedSince(Instant.now().minusMillis(300));
    }

    /** Polls until the condition holds; the time it became true, or empty after the timeout. */
    Optional<Instant> await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return Optional.of(Instant.now());
            }
            Thread.sleep(POLL.toMillis());
        }
        return condition.getAsBoolean() ? Optional.of(Instant.now()) : Optional.empty();
    }

    /** Waits (bounded) until the client is answered again, then returns its longest silence since {@code from}. */
    Duration outageSince(Instant from) throws InterruptedException {
        Instant after = Instant.now();
        await(Duration.ofSeconds(5), () -> pinger.repliedSince(after));
        OutageReport report = pinger.report();
        Instant to = report.lastReply().filter(last -> last.isAfter(from)).orElse(Instant.now());
        return report.longestGap(from, to).duration();
    }

    Optional<Instant> firstReplySince(Instant from) {
        return pinger.report().replies().stream().map(r -> r.at()).filter(at -> !at.isBefore(from)).findFirst();
    }

    /** The pid of node's ucarp for this VIP, found inside its namespace. */
    Optional<Long> ucarpPid(LabNode node) {
        var result = node.run(List.of("pgrep", "-n", "-f", "ucarp .*-s " + node.address() + " "));
        return result.output().lines().map(String::strip).filter(l -> l.matches("\\d+")).map(Long::parseLong).findFirst();
    }
}
