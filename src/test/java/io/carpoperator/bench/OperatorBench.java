package io.carpoperator.bench;

import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.carpoperator.testing.WithStrictKubernetesTestServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Operator figures on the mock API server: how long an agent's status patch takes to show up as the aggregated
 * master/phase, and how fast the operator works through 200 VirtualIPs. A benchmark, not a test: it asserts nothing
 * and runs only when asked for (bench/operator.sh); it is not matched by the *Test / *IT patterns.
 */
@QuarkusTest
@TestProfile(OperatorBench.ProductionTimers.class)
@WithStrictKubernetesTestServer
class OperatorBench {
    static final int CHANGES = Integer.getInteger("bench.changes", 100);
    static final int VIPS = Integer.getInteger("bench.vips", 200);

    /** The production resync (10 s) so background reconciles do not flatter or hide anything. */
    public static class ProductionTimers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("carp.status.resync", "10s", "carp.status.staleness", "30s");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void measure() {
        for (String node : List.of("node-a", "node-b")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        }
        client.secrets().inNamespace("carp-system").resource(new SecretBuilder().withNewMetadata().withName("carp-password")
                .withNamespace("carp-system").endMetadata()
                .withData(Map.of("password", Base64.getEncoder().encodeToString("bench".getBytes()))).build()).create();

        List<Double> latencies = propagationLatencies();
        Collections.sort(latencies);
        System.out.printf("%nBENCH status propagation (agent patch -> aggregated master visible), %d changes:"
                + " median %.1f ms, p95 %.1f ms, max %.1f ms%n", latencies.size(), percentile(latencies, 50),
                percentile(latencies, 95), latencies.get(latencies.size() - 1));

        // Creates and reports are sent from 16 client threads so the operator, not the client, sets the pace.
        long start = System.nanoTime();
        parallel(i -> client.resources(VirtualIP.class)
                .resource(vip("bulk-" + i, "203.0.113." + (i % 250 + 1) + "/" + (i < 250 ? 24 : 25))).create());
        long created = System.nanoTime();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> allHave(v -> v.getStatus() != null
                && v.getStatus().vhid != null && v.getStatus().resolved != null));
        long firstStatus = System.nanoTime();
        parallel(i -> report("bulk-" + i, "node-a", NodeState.MASTER));
        long reported = System.nanoTime();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> allHave(v -> "node-a".equals(v.getStatus().master)));
        long aggregated = System.nanoTime();
        System.out.printf("BENCH %d VirtualIPs created in %.2f s; every one validated, VHID allocated and status written %.2f s"
                + " after the first create: %.0f reconciles/s%n", VIPS, seconds(created - start), seconds(firstStatus - start),
                VIPS / seconds(firstStatus - start));
        System.out.printf("BENCH %d agent reports sent in %.2f s; every one aggregated into master/phase %.2f s after the first"
                + " report: %.0f reconciles/s%n%n", VIPS, seconds(reported - firstStatus), seconds(aggregated - firstStatus),
                VIPS / seconds(aggregated - firstStatus));
    }

    private static void parallel(java.util.function.IntConsumer work) {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var futures = java.util.stream.IntStream.range(0, VIPS).mapToObj(i -> pool.submit(() -> work.accept(i))).toList();
            for (var future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    private List<Double> propagationLatencies() {
        client.resources(VirtualIP.class).resource(vip("latency", "198.51.100.10/24")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> status("latency") != null && status("latency").resolved != null);
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < CHANGES; i++) {
            String master = i % 2 == 0 ? "node-a" : "node-b";
            String backup = i % 2 == 0 ? "node-b" : "node-a";
            long t0 = System.nanoTime();
            String now = Timestamps.formatMillis(Instant.now());
            patch("latency", "{\"status\":{\"nodes\":{\"" + master + "\":{\"state\":\"MASTER\",\"lastUpdate\":\"" + now
                    + "\"},\"" + backup + "\":{\"state\":\"BACKUP\",\"lastUpdate\":\"" + now + "\"}}}}");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
                    .until(() -> master.equals(status("latency").master));
            latencies.add((System.nanoTime() - t0) / 1e6);
        }
        return latencies;
    }

    private io.carpoperator.api.VirtualIPStatus status(String name) {
        VirtualIP vip = client.resources(VirtualIP.class).withName(name).get();
        return vip == null ? null : vip.getStatus();
    }

    private boolean allHave(java.util.function.Predicate<VirtualIP> condition) {
        var items = client.resources(VirtualIP.class).list().getItems().stream()
                .filter(v -> v.getMetadata().getName().startsWith("bulk-")).toList();
        return items.size() == VIPS && items.stream().allMatch(condition);
    }

    private void report(String vip, String node, NodeState state) {
        patch(vip, "{\"status\":{\"nodes\":{\"" + node + "\":{\"state\":\"" + state + "\",\"lastUpdate\":\""
                + Timestamps.formatMillis(Instant.now()) + "\"}}}}");
    }

    private void patch(String vip, String body) {
        client.resources(VirtualIP.class).withName(vip).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }

    private static VirtualIP vip(String name, String address) {
        VirtualIP vip = new VirtualIP();
        vip.setMetadata(new ObjectMetaBuilder().withName(name).build());
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = address;
        spec.passwordSecretRef = new SecretKeyRef("carp-password", "password");
        vip.setSpec(spec);
        return vip;
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
