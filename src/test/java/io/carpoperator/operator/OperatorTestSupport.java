package io.carpoperator.operator;

import static org.awaitility.Awaitility.await;

import io.carpoperator.api.NodeState;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.carpoperator.apiserver.StrictCrudDispatcher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Builds the cluster the operator ITs run against and plays the agents' part by patching node entries. */
final class OperatorTestSupport {
    static final String NAMESPACE = "carp-system";
    static final String SECRET = "carp-password";
    static final String KEY = "password";
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KubernetesClient client;

    OperatorTestSupport(KubernetesClient client) {
        this.client = client;
    }

    void createNodesAndSecret() {
        for (String name : new String[] { "node-a", "node-b", "node-c" }) {
            if (client.nodes().withName(name).get() == null) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .withLabels(Map.of("carp-operator.io/vip", name.equals("node-c") ? "no" : "yes")).endMetadata().build()).create();
            }
        }
        putSecret(SECRET, KEY, "s3cret");
    }

    void putSecret(String name, String key, String password) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withData(Map.of(key, Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))))
                .build()).createOr(r -> r.update());
    }

    static VirtualIP vip(String name, String address) {
        VirtualIP vip = new VirtualIP();
        vip.setMetadata(new ObjectMetaBuilder().withName(name).build());
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = address;
        spec.passwordSecretRef = new SecretKeyRef(SECRET, KEY);
        vip.setSpec(spec);
        return vip;
    }

    VirtualIP create(VirtualIP vip) {
        return client.resources(VirtualIP.class).resource(vip).create();
    }

    /**
     * Stores a VirtualIP the CRD forbids, as one stored before a stricter CRD would be, through the strict test
     * server's escape hatch ({@link StrictCrudDispatcher#UNVALIDATED_HEADER}): the operator must still mark it Invalid.
     */
    VirtualIP createUnvalidated(VirtualIP vip) {
        try (KubernetesClient unvalidated = unvalidated(client)) {
            return unvalidated.resources(VirtualIP.class).resource(vip).create();
        }
    }

    /** A client whose writes the in-process API server stores as sent, past schema and CEL (tests only). */
    static KubernetesClient unvalidated(KubernetesClient client) {
        Config config = new ConfigBuilder(client.getConfiguration()).withCustomHeaders(Map.of(StrictCrudDispatcher.UNVALIDATED_HEADER, "true"))
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The API server's refusal of a create, which must come. */
    KubernetesClientException refusedCreate(VirtualIP vip) {
        try {
            create(vip);
        } catch (KubernetesClientException refused) {
            return refused;
        }
        throw new AssertionError("the API server stored VirtualIP " + vip.getMetadata().getName() + " although its CRD forbids it");
    }

    /** A user's edit of the spec, retried when it races with the operator's status writes like `kubectl edit` would be. */
    void editSpec(String name, Consumer<VirtualIPSpec> edit) {
        await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            VirtualIP vip = get(name);
            edit.accept(vip.getSpec());
            client.resources(VirtualIP.class).resource(vip).update();
            return true;
        });
    }

    /**
     * Stores a VirtualIP as raw JSON, past any schema: what a cluster with an older CRD, `kubectl apply
     * --validate=false` or a newer operator's CRD can leave in etcd, written past the in-process server's validation.
     */
    void createRaw(String json) {
        var resource = client.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class);
        try (KubernetesClient unvalidated = unvalidated(client)) {
            unvalidated.genericKubernetesResources(VirtualIPReconcilerIT.VIRTUAL_IPS).resource(resource).create();
        }
    }

    /** A merge patch of the spec as raw JSON, past any schema, e.g. fields of a newer CRD version. */
    void patchRaw(String name, String mergePatch) {
        try (KubernetesClient unvalidated = unvalidated(client)) {
            unvalidated.resources(VirtualIP.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
        }
    }

    void jsonPatch(String name, String patch) {
        client.resources(VirtualIP.class).withName(name).patch(PatchContext.of(PatchType.JSON), patch);
    }

    VirtualIP get(String name) {
        return client.resources(VirtualIP.class).withName(name).get();
    }

    VirtualIP awaitStatus(String name, Predicate<VirtualIP> condition) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            VirtualIP vip = get(name);
            return vip != null && vip.getStatus() != null && condition.test(vip);
        });
        return get(name);
    }

    static Condition condition(VirtualIP vip, String type) {
        return vip.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + vip.getStatus().conditions));
    }

    /** What an agent writes: a JSON merge patch of its own entry on the status subresource. */
    void report(String vip, String node, NodeState state, Instant at) {
        report(vip, node, state, at, at);
    }

    /** A refresh keeps {@code since} (when the state began) and moves {@code lastUpdate}, as agents do. */
    void report(String vip, String node, NodeState state, Instant since, Instant at) {
        String body = "{\"status\":{\"nodes\":{\"" + node + "\":{\"state\":\"" + state + "\",\"since\":\"" + Timestamps.formatMillis(since)
                + "\",\"reason\":\"test says " + state + "\",\"lastUpdate\":\"" + Timestamps.formatMillis(at) + "\"}}}}";
        client.resources(VirtualIP.class).withName(vip).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }

    void report(String vip, String node, NodeState state) {
        report(vip, node, state, Instant.now());
    }

    void release(String vip, String node) {
        client.resources(VirtualIP.class).withName(vip).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"nodes\":{\"" + node + "\":null}}}");
    }

    boolean hasEvent(String vip, String type, String reason) {
        return client.v1().events().inNamespace(EventRecorder.EVENT_NAMESPACE).list().getItems().stream()
                .anyMatch(e -> vip.equals(e.getInvolvedObject().getName()) && type.equals(e.getType()) && reason.equals(e.getReason()));
    }

    void deleteAllAndWait() {
        for (VirtualIP vip : client.resources(VirtualIP.class).list().getItems()) {
            String name = vip.getMetadata().getName();
            if (vip.getStatus() != null && vip.getStatus().nodes != null) {
                vip.getStatus().nodes.keySet().forEach(node -> release(name, node));
            }
            client.resources(VirtualIP.class).withName(name).delete();
        }
        await().atMost(TIMEOUT).until(() -> client.resources(VirtualIP.class).list().getItems().isEmpty());
    }
}
