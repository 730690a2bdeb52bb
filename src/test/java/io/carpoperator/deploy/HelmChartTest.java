package io.carpoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.carpoperator.agent.AgentSettings;
import io.carpoperator.api.CrdFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * charts/carp-operator installs what `kubectl apply -k deploy/` installs. Linted and rendered by Helm's own code
 * (helm-java: Helm as a native library, no cluster), its default render is compared with deploy/ object by object.
 */
class HelmChartTest {
    private static final Path CHART = Path.of("charts", "carp-operator");
    private static final String RELEASE_NAMESPACE = "carp-system";
    /** Without a cluster, helm-java's Helm assumes Kubernetes 1.20; the chart asks for 1.30 or newer (its kubeVersion). */
    private static final String KUBE_VERSION = "1.30.0";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /**
     * helm-java's template runs Helm's install code, which takes SIGINT and SIGTERM for itself (Go's signal.Notify):
     * the test JVM would then ignore both and outlive a stopped build. The JVM's handlers, to give back after each call.
     */
    private static final Map<Signal, SignalHandler> JVM_SIGNALS = jvmSignalHandlers();

    @TempDir
    Path temp;

    @BeforeAll
    static void helmsNativeLibraryIsForThisMachine() {
        // the pom brings the linux-amd64 native only; elsewhere helm-java would go and download another at run time
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "HelmChartTest needs Linux on amd64 (the helm-java native in the pom); this is " + System.getProperty("os.name")
                        + " on " + System.getProperty("os.arch"));
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).as("only informational remarks").allMatch(m -> m.startsWith("[INFO]"));
    }

    @Test
    void chartVersionIsTheProjectsAndItsAppVersionIsTheImageTagDeployUses() throws IOException {
        Map<?, ?> chart = SERIALIZATION.unmarshal(Files.readString(CHART.resolve("Chart.yaml")), Map.class);
        Matcher pom = Pattern.compile("<artifactId>carp-operator</artifactId>\\s*<version>([^<]+?)(-SNAPSHOT)?</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(pom.find()).as("the project's version in pom.xml").isTrue();
        assertThat(chart.get("version")).isEqualTo(pom.group(1));
        assertThat(chart.get("appVersion")).isEqualTo(DeployManifests.imageTag());
    }

    @Test
    void chartCrdsAreTheCommittedOnes() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(CrdFiles.CRDS.keySet().stream().map(c -> CrdFiles.charted(c).getFileName().toString()).toList());
        }
        for (String crd : CrdFiles.CRDS.keySet()) {
            assertThat(Files.readString(CrdFiles.charted(crd)))
                    .as("charts/carp-operator/crds must be a copy of crds/; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true")
                    .isEqualTo(Files.readString(CrdFiles.committed(crd)));
        }
    }

    @Test
    void defaultRenderHoldsDeploysObjectsButTheCrdsAndTheReleaseNamespace() throws IOException {
        // Helm applies crds/ (checked above) before the templates and does not render them; the release namespace is
        // Helm's to create (--create-namespace), a template of it would collide
        assertThat(render(Map.of()).stream().map(HelmChartTest::identity).toList())
                .containsExactlyInAnyOrderElementsOf(expectedFromDeploy().stream().map(HelmChartTest::identity).toList());
    }

    @Test
    void defaultRenderEqualsDeployObjectByObject() throws IOException {
        Map<String, HasMetadata> rendered = byIdentity(render(Map.of()));
        String image = "carp-operator:" + DeployManifests.imageTag();
        for (HasMetadata expected : expectedFromDeploy()) {
            HasMetadata actual = rendered.get(identity(expected));
            assertThat(actual).as("rendered %s", identity(expected)).isNotNull();
            Map<String, String> labels = new LinkedHashMap<>(DeployManifests.commonLabels());
            if (expected.getMetadata().getLabels() != null) {
                labels.putAll(expected.getMetadata().getLabels());
            }
            assertThat(actual.getMetadata().getLabels()).as("labels of %s: deploy/'s and Helm's", identity(expected))
                    .containsAllEntriesOf(labels).containsEntry("app.kubernetes.io/managed-by", "Helm");
            assertThat(comparable(actual, null)).as("%s as rendered (left) and in deploy/ (right)", identity(expected))
                    .isEqualTo(comparable(expected, image));
        }
    }

    @Test
    void grantsExactlyWhatDeployGrants() throws IOException {
        assertThat(RbacTriples.of(render(Map.of()))).containsExactlyElementsOf(RbacTriples.EXPECTED);
    }

    @Test
    void imagesSecurityContextsAndEnvironmentAreDeploys() throws IOException {
        List<HasMetadata> chart = render(Map.of());
        List<HasMetadata> deploy = DeployManifests.render(DeployManifests.DEPLOY);
        String image = "carp-operator:" + DeployManifests.imageTag();
        Deployment operator = DeployManifests.one(chart, Deployment.class, "carp-operator");
        Deployment deployedOperator = DeployManifests.one(deploy, Deployment.class, "carp-operator");
        assertThat(operator.getSpec().getTemplate().getSpec().getSecurityContext())
                .isEqualTo(deployedOperator.getSpec().getTemplate().getSpec().getSecurityContext());
        assertSameContainer(container(operator), container(deployedOperator), image);
        DaemonSet agent = DeployManifests.one(chart, DaemonSet.class, "carp-agent");
        assertSameContainer(container(agent), container(DeployManifests.one(deploy, DaemonSet.class, "carp-agent")), image);
        assertThat(container(agent).getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    }

    @Test
    void privilegedAgentsRunPrivilegedAndNothingElseChanges() throws IOException {
        List<HasMetadata> privileged = render(Map.of("agent.privileged", true));
        var security = container(DeployManifests.one(privileged, DaemonSet.class, "carp-agent")).getSecurityContext();
        assertThat(security.getPrivileged()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as("the API server refuses privileged with escalation off").isNull();
        assertThat(security.getCapabilities()).as("a privileged container has every capability").isNull();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getRunAsUser()).isZero();
        List<HasMetadata> unprivileged = render(Map.of());
        for (HasMetadata object : unprivileged) {
            if (!(object instanceof DaemonSet)) {
                assertThat(comparable(byIdentity(privileged).get(identity(object)), null)).as(identity(object))
                        .isEqualTo(comparable(object, null));
            }
        }
    }

    @Test
    void monitoringOffRendersNoPodMonitors() throws IOException {
        assertThat(render(Map.of("monitoring.enabled", false))).noneMatch(o -> o.getKind().equals("PodMonitor"));
    }

    @Test
    void monitoringOnRendersDeploysPodMonitorsWithPrometheusSelectorLabels() throws IOException {
        List<HasMetadata> rendered = render(Map.of("monitoring.enabled", true, "monitoring.labels.release", "kube-prometheus-stack"))
                .stream().filter(o -> o.getKind().equals("PodMonitor")).toList();
        List<HasMetadata> deployed = DeployManifests.parse(Files.readString(DeployManifests.DEPLOY.resolve("monitoring/podmonitors.yaml")));
        assertThat(rendered.stream().map(HelmChartTest::identity).toList())
                .containsExactlyInAnyOrderElementsOf(deployed.stream().map(HelmChartTest::identity).toList());
        for (HasMetadata expected : deployed) {
            HasMetadata actual = byIdentity(rendered).get(identity(expected));
            assertThat(comparable(actual, null)).as(identity(expected)).isEqualTo(comparable(expected, null));
            assertThat(actual.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
            assertThat(actual).isInstanceOf(GenericKubernetesResource.class);
        }
    }

    @Test
    void nodeSelectorAndTolerationsLandOnTheAgentPodsOnly() throws IOException {
        List<HasMetadata> rendered = render("""
                agent:
                  nodeSelector:
                    carp-operator.io/vip: "true"
                  tolerations:
                    - key: node-role.kubernetes.io/control-plane
                      operator: Exists
                      effect: NoSchedule
                """);
        var agent = DeployManifests.one(rendered, DaemonSet.class, "carp-agent").getSpec().getTemplate().getSpec();
        assertThat(agent.getNodeSelector()).containsExactly(Map.entry("carp-operator.io/vip", "true"));
        assertThat(agent.getTolerations()).containsExactly(new Toleration("NoSchedule", "node-role.kubernetes.io/control-plane", "Exists", null, null));
        var operator = DeployManifests.one(rendered, Deployment.class, "carp-operator").getSpec().getTemplate().getSpec();
        assertThat(operator.getNodeSelector()).isNullOrEmpty();
        assertThat(operator.getTolerations()).isNullOrEmpty();
    }

    @Test
    void noTolerationsLeaveTheFieldOut() throws IOException {
        var agent = DeployManifests.one(render("agent:\n  tolerations: []\n"), DaemonSet.class, "carp-agent").getSpec().getTemplate().getSpec();
        assertThat(agent.getTolerations()).isNullOrEmpty();
    }

    @Test
    void imageStalenessHealthPortAndResourcesFollowTheirValues() throws IOException {
        List<HasMetadata> rendered = render("""
                image: {repository: registry.example/carp-operator, tag: "0.2.0", pullPolicy: Never}
                imagePullSecrets: [{name: registry-login}]
                statusStaleness: 45s
                agent:
                  healthPort: 9555
                  resources: {requests: {cpu: 50m, memory: 256Mi}, limits: {memory: 1Gi}}
                """);
        DaemonSet agents = DeployManifests.one(rendered, DaemonSet.class, "carp-agent");
        Deployment operator = DeployManifests.one(rendered, Deployment.class, "carp-operator");
        for (var pod : List.of(agents.getSpec().getTemplate().getSpec(), operator.getSpec().getTemplate().getSpec())) {
            assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example/carp-operator:0.2.0");
            assertThat(pod.getContainers().get(0).getImagePullPolicy()).isEqualTo("Never");
            assertThat(pod.getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("registry-login");
            assertThat(env(pod.getContainers().get(0))).containsEntry(AgentSettings.STALENESS, "45s");
        }
        Container agent = container(agents);
        assertThat(env(agent)).containsEntry(AgentSettings.HEALTH_PORT, "9555");
        assertThat(agent.getPorts().get(0).getContainerPort()).isEqualTo(9555);
        assertThat(agent.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9555);
        assertThat(agent.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9555);
        assertThat(agent.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    }

    @Test
    void anotherReleaseNamespaceAndAgentNamespaceReplaceEveryMentionOfTheDefaults() throws IOException {
        List<HasMetadata> rendered = render("infra", Map.of("agent.namespace", "vip-agents", "monitoring.enabled", true));
        assertThat(SERIALIZATION.asJson(rendered)).doesNotContain("carp-system").doesNotContain("carp-agents");
        assertThat(RbacTriples.of(rendered)).containsExactlyElementsOf(RbacTriples.EXPECTED.stream()
                .map(t -> t.replace("carp-system", "infra").replace("carp-agents", "vip-agents")).sorted().toList());
        assertThat(DeployManifests.one(rendered, ValidatingAdmissionPolicy.class, "carp-agent-writes-only-its-node-report")
                .getSpec().getMatchConditions().get(0).getExpression()).contains("'system:serviceaccount:vip-agents:carp-agent'");
        assertThat(env(container(DeployManifests.one(rendered, Deployment.class, "carp-operator"))))
                .containsEntry("CARP_AGENT_NAMESPACE", "vip-agents");
        assertThat(DeployManifests.one(rendered, Namespace.class, "vip-agents").getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    }

    @Test
    void anAgentNamespaceManagedElsewhereIsNotRendered() throws IOException {
        assertThat(render(Map.of("agent.createNamespace", false))).noneMatch(o -> o instanceof Namespace);
    }

    @Test
    void theAgentsMayNotShareTheReleaseNamespace() {
        assertThatThrownBy(() -> render(Map.of("agent.namespace", RELEASE_NAMESPACE)))
                .hasMessageContaining("agent.namespace=carp-system is the release namespace");
    }

    @Test
    void aMistypedValueIsRefusedNamingIt() {
        assertThatThrownBy(() -> render(Map.of("agent.privileged", "yes"))).hasMessageContaining("'/agent/privileged': got string, want boolean");
        assertThatThrownBy(() -> render(Map.of("agent.privilegd", true))).hasMessageContaining("'privilegd' not allowed");
        assertThatThrownBy(() -> render(Map.of("image.pullPolicy", "Sometimes"))).hasMessageContaining("'/image/pullPolicy'");
    }

    @Test
    void refusesAKubernetesOlderThanTheAdmissionPolicyNeeds() {
        assertThatThrownBy(() -> call(template(RELEASE_NAMESPACE).withKubeVersion("1.29.0"))).hasMessageContaining("kubeVersion");
    }

    @Test
    void theTestJvmStillStopsOnSigtermAfterARender() {
        render(Map.of());
        Signal term = new Signal("TERM");
        SignalHandler current = Signal.handle(term, SignalHandler.SIG_DFL);
        Signal.handle(term, current);
        // Java wraps a handler anew on every look-up: the wrapped one prints itself
        assertThat(current).as("SIGTERM is the JVM's again, not Go's (seen by Java as a native handler)")
                .hasToString(JVM_SIGNALS.get(term).toString());
    }

    /** deploy/'s objects the templates must reproduce: all but the CRDs and the release namespace. */
    private static List<HasMetadata> expectedFromDeploy() throws IOException {
        return DeployManifests.render(DeployManifests.DEPLOY).stream()
                .filter(o -> !o.getKind().equals("CustomResourceDefinition"))
                .filter(o -> !(o instanceof Namespace && o.getMetadata().getName().equals(RELEASE_NAMESPACE)))
                .toList();
    }

    private List<HasMetadata> render(String valuesYaml) throws IOException {
        Path values = Files.writeString(temp.resolve("values-" + System.nanoTime() + ".yaml"), valuesYaml);
        return DeployManifests.parse(call(template(RELEASE_NAMESPACE).withValuesFile(values)));
    }

    private static List<HasMetadata> render(Map<String, Object> values) {
        return render(RELEASE_NAMESPACE, values);
    }

    private static List<HasMetadata> render(String namespace, Map<String, Object> values) {
        TemplateCommand template = template(namespace);
        values.forEach(template::set);
        return DeployManifests.parse(call(template));
    }

    private static TemplateCommand template(String namespace) {
        return new Helm(CHART).template().withName("carp-operator").withNamespace(namespace).withKubeVersion(KUBE_VERSION);
    }

    private static String call(TemplateCommand template) {
        try {
            return template.call();
        } finally {
            JVM_SIGNALS.forEach(Signal::handle);
        }
    }

    /** The JVM's own handlers, taken before helm-java's first call; put back after each template call. */
    private static Map<Signal, SignalHandler> jvmSignalHandlers() {
        Map<Signal, SignalHandler> handlers = new LinkedHashMap<>();
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            SignalHandler jvm = Signal.handle(signal, SignalHandler.SIG_DFL);
            Signal.handle(signal, jvm);
            handlers.put(signal, jvm);
        }
        return handlers;
    }

    private static String identity(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return object.getKind() + " " + (namespace == null ? "" : namespace + "/") + object.getMetadata().getName();
    }

    private static Map<String, HasMetadata> byIdentity(List<HasMetadata> objects) {
        return objects.stream().collect(Collectors.toMap(HelmChartTest::identity, o -> o, (a, b) -> {
            throw new AssertionError("rendered twice: " + identity(a));
        }));
    }

    /**
     * The object as JSON without its metadata labels (Helm adds its own; compared by inclusion), and with kustomize's
     * image tag applied to deploy/'s bare image name when {@code image} is given.
     */
    private static JsonNode comparable(HasMetadata object, String image) {
        ObjectNode json = SERIALIZATION.convertValue(object, ObjectNode.class);
        ((ObjectNode) json.get("metadata")).remove("labels");
        if (image != null) {
            for (JsonNode container : json.path("spec").path("template").path("spec").path("containers")) {
                if (container.path("image").asText().equals("carp-operator")) {
                    ((ObjectNode) container).put("image", image);
                }
            }
        }
        return json;
    }

    private static void assertSameContainer(Container actual, Container deployed, String image) {
        assertThat(actual.getImage()).isEqualTo(image);
        assertThat(actual.getImagePullPolicy()).isEqualTo(deployed.getImagePullPolicy());
        assertThat(actual.getArgs()).isEqualTo(deployed.getArgs());
        assertThat(actual.getSecurityContext()).isEqualTo(deployed.getSecurityContext());
        assertThat(actual.getEnv()).containsExactlyElementsOf(deployed.getEnv());
    }

    private static Container container(HasMetadata workload) {
        if (workload instanceof Deployment deployment) {
            return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        }
        return ((DaemonSet) workload).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }
}
