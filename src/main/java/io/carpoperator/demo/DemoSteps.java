package io.carpoperator.demo;

import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.Phase;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.lab.LabNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's scenes, in order: first election, master killed, master's link cut, the seed's isolation case, recovery,
 * graceful handover, an invalid edit. Each starts from node1 serving the VIP (the preferred node, preempt on), so a
 * step can run alone after the election; recovery needs the isolation before it.
 */
final class DemoSteps {
    static final Duration STEADY_TIMEOUT = Duration.ofSeconds(45);
    static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(15);
    /** An edit the CRD's CEL rule forbids: the API server refuses it, as a real one would. */
    static final String REFUSED_ADDRESS = "198.51.100.300/24";

    private final Map<String, DemoStep> steps = new LinkedHashMap<>();

    DemoSteps() {
        add(new Election());
        add(new KillMaster());
        add(new CutLink());
        add(new Isolation());
        add(new Recovery());
        add(new Handover());
        add(new InvalidEdit());
    }

    private void add(DemoStep step) {
        steps.put(step.name(), step);
    }

    List<String> names() {
        return List.copyOf(steps.keySet());
    }

    /** Every step, or the named one with what it needs first (the election; the isolation before a recovery). */
    List<DemoStep> plan(Optional<String> only) {
        if (only.isEmpty()) {
            return List.copyOf(steps.values());
        }
        String name = only.get();
        if (!steps.containsKey(name)) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; one of: " + String.join(", ", names()));
        }
        List<DemoStep> plan = new ArrayList<>(List.of(steps.get("election")));
        if (name.equals("recovery")) {
            plan.add(steps.get("isolation"));
        }
        if (!name.equals("election")) {
            plan.add(steps.get(name));
        }
        return plan;
    }

    private abstract static class Step implements DemoStep {
        private final String name;
        private final String expectation;
        private final String measure;
        private final Duration bound;

        Step(String name, String expectation, String measure, Duration bound) {
            this.name = name;
            this.expectation = expectation;
            this.measure = measure;
            this.bound = bound;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String expectation() {
            return expectation;
        }

        @Override
        public String measure() {
            return measure;
        }

        @Override
        public Duration bound() {
            return bound;
        }

        /** Waits until node1 serves the VIP again after the previous step; false (and a note) when it does not. */
        static boolean steady(DemoWorld world, DemoOutput out) throws InterruptedException {
            LabNode preferred = world.preferred();
            if (world.await(STEADY_TIMEOUT, () -> world.servedBy(preferred)).isPresent()) {
                return true;
            }
            out.note(preferred.name() + " did not serve the VIP within " + STEADY_TIMEOUT.toSeconds() + " s; holders "
                    + world.holders().stream().map(LabNode::name).toList() + ", master " + world.master().orElse("none"));
            return false;
        }

        /** Another node holds the address alone and the status names it master. */
        static Optional<Instant> awaitTakeover(DemoWorld world) throws InterruptedException {
            LabNode old = world.preferred();
            return world.await(TAKEOVER_TIMEOUT, () -> {
                List<LabNode> holders = world.holders();
                return holders.size() == 1 && holders.get(0) != old
                        && world.master().filter(holders.get(0).name()::equals).isPresent();
            });
        }

        /** Every step but the election and the recovery starts from node1 serving the VIP. */
        boolean startsFromNode1Serving() {
            return true;
        }

        abstract StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException;

        @Override
        public final StepResult run(DemoWorld world, DemoOutput out) throws InterruptedException {
            if (startsFromNode1Serving() && !steady(world, out)) {
                return StepResult.of(this, false, Optional.empty(), "did not start: node1 was not serving the VIP");
            }
            return play(world, out);
        }
    }

    private static final class Election extends Step {
        Election() {
            super("election", "apply the seed's VirtualIP: node1 (preferred) MASTER, node2/3 BACKUP, phase Ready",
                    "first reply after", Duration.ofSeconds(20));
        }

        @Override
        boolean startsFromNode1Serving() {
            return false;
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            Instant applied = Instant.now();
            world.client().resources(VirtualIP.class).resource(world.sample()).create();
            out.note("kubectl apply: virtualip.carp-operator.io/" + world.vipName() + " created");
            LabNode preferred = world.preferred();
            boolean reached = world.await(Duration.ofSeconds(30), () -> world.servedBy(preferred)
                    && world.lab().nodes().stream().allMatch(n -> world.state(n).filter(s -> s == NodeState.MASTER
                            || s == NodeState.BACKUP).isPresent())).isPresent();
            Optional<Duration> firstReply = world.firstReplySince(applied).map(at -> Duration.between(applied, at));
            return StepResult.of(this, reached, firstReply, "VHID " + world.vip().map(v -> v.getStatus().vhid).orElse(null)
                    + " from the sample; the client's pings are answered by " + preferred.name());
        }
    }

    private static final class KillMaster extends Step {
        KillMaster() {
            super("kill", "kill -9 node1's ucarp: node2 takes over, node1's agent restarts ucarp and takes back (preempt)",
                    "client outage", Duration.ofSeconds(4));
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            LabNode victim = world.preferred();
            Optional<Long> pid = world.ucarpPid(victim);
            if (pid.isEmpty()) {
                return StepResult.of(this, false, Optional.empty(), "no ucarp found on " + victim.name());
            }
            Instant fault = Instant.now();
            world.lab().faults().killHard(pid.get());
            out.note("kill -9 " + pid.get() + " (ucarp on " + victim.name() + ")");
            Optional<Instant> taken = awaitTakeover(world);
            Duration outage = world.outageSince(fault.minusMillis(200));
            return StepResult.of(this, taken.isPresent(), Optional.of(outage),
                    world.master().orElse("nobody") + " took over " + taken.map(t -> StepResult.seconds(Duration.between(fault, t)))
                            .orElse("-") + " after the kill");
        }
    }

    private static final class CutLink extends Step {
        CutLink() {
            super("link", "node1's VIP link goes down: node2 takes over; link back up, node1 takes back (preempt)",
                    "client outage", Duration.ofSeconds(4));
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            LabNode victim = world.preferred();
            Instant fault = Instant.now();
            world.lab().faults().linkDown(victim);
            out.note("ip link set " + victim.vipInterface() + " down on " + victim.name());
            Optional<Instant> taken = awaitTakeover(world);
            Duration outage = world.outageSince(fault.minusMillis(200));
            world.lab().faults().linkUp(victim);
            out.note("ip link set " + victim.vipInterface() + " up on " + victim.name());
            return StepResult.of(this, taken.isPresent(), Optional.of(outage), world.master().orElse("nobody") + " took over");
        }
    }

    private static final class Isolation extends Step {
        Isolation() {
            super("isolation", "node1 loses the VIP network (carrier up, heartbeat alive, gateway gone): withdrawn, ISOLATED",
                    "withdrawn after", Duration.ofSeconds(3));
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            LabNode victim = world.preferred();
            Instant fault = Instant.now();
            world.lab().faults().isolate(victim);
            out.note(victim.name() + " cut off from the VIP network; its carrier and heartbeat link stay up");
            Optional<Instant> withdrawn = world.await(Duration.ofSeconds(10), () -> !victim.hasAddress(world.vipAddress()));
            boolean reached = awaitTakeover(world).isPresent() && world.await(TAKEOVER_TIMEOUT,
                    () -> world.state(victim).filter(s -> s == NodeState.ISOLATED).isPresent()).isPresent();
            Duration outage = world.outageSince(fault.minusMillis(200));
            String reason = world.entry(victim).map(e -> e.reason).orElse("no reason reported");
            return StepResult.of(this, reached, withdrawn.map(at -> Duration.between(fault, at)),
                    victim.name() + " ISOLATED (" + reason + "); " + world.master().orElse("nobody") + " took over, client outage "
                            + StepResult.seconds(outage));
        }
    }

    private static final class Recovery extends Step {
        Recovery() {
            super("recovery", "node1's network heals: it takes part again (BACKUP), then takes the VIP back (preempt)",
                    "took part again after", Duration.ofSeconds(10));
        }

        @Override
        boolean startsFromNode1Serving() {
            return false;
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            LabNode victim = world.preferred();
            if (world.state(victim).filter(s -> s == NodeState.ISOLATED).isEmpty()) {
                return StepResult.of(this, false, Optional.empty(), victim.name() + " was not ISOLATED; run after 'isolation'");
            }
            Instant healed = Instant.now();
            world.lab().faults().heal(victim);
            out.note(victim.name() + " back on the VIP network");
            Optional<Instant> rejoined = world.await(Duration.ofSeconds(20),
                    () -> world.state(victim).filter(Set.of(NodeState.BACKUP, NodeState.MASTER)::contains).isPresent());
            boolean reached = world.await(Duration.ofSeconds(20), () -> world.servedBy(victim)).isPresent();
            Duration outage = world.outageSince(healed);
            return StepResult.of(this, reached, rejoined.map(at -> Duration.between(healed, at)),
                    victim.name() + " is master again; client outage during the hand-back " + StepResult.seconds(outage));
        }
    }

    private static final class Handover extends Step {
        Handover() {
            super("handover", "node1's agent gets SIGTERM (drain, rollout): it hands the VIP to node2 before it exits",
                    "client outage", Duration.ofSeconds(1));
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            LabNode leaving = world.preferred();
            Instant stop = Instant.now();
            out.note("stopping the agent on " + leaving.name() + " the way SIGTERM does");
            world.cluster().stopAgent(leaving);
            Optional<Instant> taken = awaitTakeover(world);
            Duration outage = world.outageSince(stop.minusMillis(200));
            world.cluster().startAgent(leaving);
            out.note("agent on " + leaving.name() + " started again");
            return StepResult.of(this, taken.isPresent(), Optional.of(outage), world.master().orElse("nobody") + " took over");
        }
    }

    private static final class InvalidEdit extends Step {
        InvalidEdit() {
            super("invalid", "spec.address edited to " + REFUSED_ADDRESS + " (refused by the API server) and to the subnet's network"
                    + " address (allowed by the CRD): phase Invalid naming the field; the VIP keeps serving",
                    "longest client gap", Duration.ofMillis(500));
        }

        @Override
        StepResult play(DemoWorld world, DemoOutput out) throws InterruptedException {
            var vips = world.client().resources(VirtualIP.class).withName(world.vipName());
            String good = vips.get().getSpec().address;
            Instant edited = Instant.now();
            boolean refused;
            try {
                vips.edit(v -> {
                    v.getSpec().address = REFUSED_ADDRESS;
                    return v;
                });
                refused = false;
                out.note("kubectl edit: spec.address " + good + " -> " + REFUSED_ADDRESS + " was stored: the API server should refuse it");
            } catch (KubernetesClientException e) {
                refused = e.getCode() == 422;
                out.note("kubectl edit: spec.address " + good + " -> " + REFUSED_ADDRESS + " refused by the API server: "
                        + Optional.ofNullable(e.getStatus()).map(s -> s.getMessage()).orElse(e.getMessage()));
            }
            String network = Ipv4Cidr.parse(good).subnet();
            vips.edit(v -> {
                v.getSpec().address = network;
                return v;
            });
            out.note("kubectl edit: spec.address " + good + " -> " + network + " (the subnet's network address; the CRD allows it)");
            boolean reached = world.await(Duration.ofSeconds(10), () -> world.phase().filter(p -> p == Phase.Invalid).isPresent()
                    && world.condition(ConditionTypes.VALID).filter(c -> "False".equals(c.getStatus())
                            && c.getMessage() != null && c.getMessage().contains("spec.address")).isPresent()).isPresent();
            String message = world.condition(ConditionTypes.VALID).map(c -> c.getMessage()).orElse("no Valid condition");
            Thread.sleep(2000); // keep watching: nothing may be torn down
            boolean stillServed = world.holders().equals(List.of(world.preferred()));
            Duration gap = world.outageSince(edited);
            vips.edit(v -> {
                v.getSpec().address = good;
                return v;
            });
            boolean restored = world.await(Duration.ofSeconds(10), () -> world.phase().filter(p -> p == Phase.Ready).isPresent()).isPresent();
            out.note("spec.address back to " + good + (restored ? ": Ready again" : ": not Ready within 10 s"));
            return StepResult.of(this, refused && reached && stillServed && restored, Optional.of(gap), "Valid=False: " + message);
        }
    }
}
