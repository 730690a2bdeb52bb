package io.carpoperator.operator;

import static org.awaitility.Awaitility.await;

import io.carpoperator.api.AgentConfig;
import io.carpoperator.api.NodeReport;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.carpoperator.apiserver.StrictCrudDispatcher;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Builds the cluster the operator ITs run against and plays the agents' part by writing their NodeReports. */
final class OperatorTestSupport {
    static final String NAMESPACE = "carp-system";
    static final String AGENT_NAMESPACE = "carp-agents";
    static final String SECRET = "carp-password";
    static final String KEY = "password";
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KubernetesClient client;
    /** The agents' side: each node's entries per VirtualIP, as that node's NodeReport holds them. */
    private final Map<String, Map<String, NodeStatus>> reports;

    OperatorTestSupport(KubernetesClient client) {
        this(client, new TreeMap<>());
    }

    private OperatorTestSupport(KubernetesClient client, Map<String, Map<String, NodeStatus>> reports) {
        this.client = client;
        this.reports = reports;
    }

    /**
     * A started operator of our own on {@code client}, the way the demo builds one: for tests that stop Quarkus' operator
     * (QOSDK closes its client on stop) and start another, e.g. to see what a fresh start makes of the store.
     */
    static io.javaoperatorsdk.operator.Operator startOperator(KubernetesClient client, OperatorSettings settings) {
        java.time.Clock clock = java.time.Clock.systemUTC();
        var operator = new io.javaoperatorsdk.operator.Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(false));
        operator.register(new VirtualIPReconciler(settings, client, new VhidRegistry(), new StatusWriter(client),
                new EventRecorder(client, clock), clock));
        operator.start();
        return operator;
    }

    /** The same simulated agents, writing through another client (e.g. after an operator restart closed the first). */
    OperatorTestSupport using(KubernetesClient other) {
        return new OperatorTestSupport(other, reports);
    }

    void createNodesAndSecret() {
        String[] names = { "node-a", "node-b", "node-c" };
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (client.nodes().withName(name).get() == null) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .withLabels(Map.of("carp-operator.io/vip", name.equals("node-c") ? "no" : "yes")).endMetadata()
                        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("203.0.113." + (11 + i)).endAddress().endStatus()
                        .build()).create();
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

    /** What an agent writes: its node's whole NodeReport, holding its entry for every VirtualIP it runs. */
    void report(String vip, String node, NodeState state, Instant at) {
        report(vip, node, state, at, at);
    }

    /** A refresh keeps {@code since} (when the state began) and moves {@code lastUpdate}, as agents do. */
    void report(String vip, String node, NodeState state, Instant since, Instant at) {
        NodeStatus entry = new NodeStatus(state, Timestamps.formatMillis(at));
        entry.since = Timestamps.formatMillis(since);
        entry.reason = "test says " + state;
        report(vip, node, entry);
    }

    void report(String vip, String node, NodeStatus entry) {
        synchronized (reports) {
            reports.computeIfAbsent(node, n -> new TreeMap<>()).put(vip, entry);
            write(node);
        }
    }

    void report(String vip, String node, NodeState state) {
        report(vip, node, state, Instant.now());
    }

    /** The node's agent stopped the VIP: its entry leaves the node's report. */
    void release(String vip, String node) {
        synchronized (reports) {
            Map<String, NodeStatus> entries = reports.get(node);
            if (entries != null && entries.remove(vip) != null) {
                write(node);
            }
        }
    }

    /** Writes every node's report again, unchanged but for lastUpdate: what live agents do every refresh interval. */
    void refreshAll() {
        synchronized (reports) {
            reports.keySet().forEach(this::write);
        }
    }

    /** Refreshes every node's report each {@code interval} until closed, as live agents would. */
    AutoCloseable keepRefreshing(Duration interval) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        timer.scheduleWithFixedDelay(() -> {
            try {
                refreshAll();
            } catch (RuntimeException e) {
                // the API is being restarted in some tests; the next refresh catches up
            }
        }, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    private void write(String node) {
        NodeReport report = new NodeReport();
        report.getMetadata().setName(node);
        report.getSpec().vips = new TreeMap<>(reports.get(node));
        report.getSpec().lastUpdate = Timestamps.formatMillis(Instant.now());
        client.resources(NodeReport.class).resource(report).createOr(r -> r.update());
    }

    boolean hasEvent(String vip, String type, String reason) {
        return client.v1().events().inNamespace(EventRecorder.EVENT_NAMESPACE).list().getItems().stream()
                .anyMatch(e -> vip.equals(e.getInvolvedObject().getName()) && type.equals(e.getType()) && reason.equals(e.getReason()));
    }

    /** The messages of a VirtualIP's Events of this type and reason. */
    java.util.List<String> eventMessages(String vip, String type, String reason) {
        return client.v1().events().inNamespace(EventRecorder.EVENT_NAMESPACE).list().getItems().stream()
                .filter(e -> vip.equals(e.getInvolvedObject().getName()) && type.equals(e.getType()) && reason.equals(e.getReason()))
                .map(e -> e.getMessage()).toList();
    }

    void deleteAllAndWait() {
        synchronized (reports) {
            reports.clear();
        }
        client.resources(NodeReport.class).delete();
        for (VirtualIP vip : client.resources(VirtualIP.class).list().getItems()) {
            client.resources(VirtualIP.class).withName(vip.getMetadata().getName()).delete();
        }
        await().atMost(TIMEOUT).until(() -> client.resources(VirtualIP.class).list().getItems().isEmpty());
    }

    /** The operator-owned agent configuration of a VirtualIP, as the agents read it, or null. */
    AgentConfig agentConfig(String vip) {
        ConfigMap config = client.configMaps().inNamespace(AGENT_NAMESPACE).withName(vip).get();
        return config == null ? null : client.getKubernetesSerialization().unmarshal(config.getData().get(AgentConfig.DATA_KEY), AgentConfig.class);
    }
}
