package io.carpoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.CrdFiles;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** deploy/ is what users apply: it must parse, match crds/, and grant no more than the operator needs. */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @SuppressWarnings("unchecked")
    private List<HasMetadata> render(Path dir) throws IOException {
        Map<String, Object> kustomization = serialization.unmarshal(Files.readString(dir.resolve("kustomization.yaml")), Map.class);
        List<HasMetadata> objects = new ArrayList<>();
        for (String resource : (List<String>) kustomization.get("resources")) {
            if (Files.isDirectory(dir.resolve(resource))) {
                objects.addAll(render(dir.resolve(resource)));
                continue;
            }
            Object parsed = serialization.unmarshal(Files.readString(dir.resolve(resource)));
            if (parsed instanceof KubernetesList list) {
                objects.addAll(list.getItems());
            } else if (parsed instanceof List<?> list) {
                list.forEach(o -> objects.add((HasMetadata) o));
            } else {
                objects.add((HasMetadata) parsed);
            }
        }
        return objects;
    }

    private <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in deploy/"));
    }

    @Test
    void baseHoldsNamespaceCrdOperatorAndItsRbac() throws IOException {
        List<String> kinds = render(DEPLOY).stream().map(HasMetadata::getKind).toList();
        assertThat(kinds).containsExactlyInAnyOrder("Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");
    }

    @Test
    void deployedCrdIsTheCommittedOne() throws IOException {
        assertThat(Files.readString(CrdFiles.DEPLOYED))
                .as("deploy/base/crd must be a copy of crds/; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true")
                .isEqualTo(Files.readString(CrdFiles.COMMITTED));
    }

    @Test
    void operatorRbacHasNoWildcardsAndOnlyReadsSecrets() throws IOException {
        List<HasMetadata> objects = render(DEPLOY);
        List<PolicyRule> rules = new ArrayList<>(one(objects, ClusterRole.class, "carp-operator").getRules());
        rules.addAll(one(objects, Role.class, "carp-operator").getRules());
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*", "deletecollection", "escalate", "impersonate");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
            if (rule.getResources().contains("secrets")) {
                assertThat(rule.getVerbs()).containsOnly("get", "list", "watch");
            }
        });
    }

    @Test
    void operatorMayCreateEverythingItManagesForTheAgents() throws IOException {
        List<HasMetadata> objects = render(DEPLOY);
        var cluster = one(objects, ClusterRole.class, "carp-operator").getRules();
        var namespaced = one(objects, Role.class, "carp-operator").getRules();
        assertThat(allows(cluster, "rbac.authorization.k8s.io", "clusterroles", "create")).isTrue();
        assertThat(allows(cluster, "rbac.authorization.k8s.io", "clusterrolebindings", "update")).isTrue();
        assertThat(allows(namespaced, "apps", "daemonsets", "update")).isTrue();
        assertThat(allows(namespaced, "", "serviceaccounts", "create")).isTrue();
        assertThat(allows(namespaced, "rbac.authorization.k8s.io", "roles", "create")).isTrue();
        assertThat(allows(namespaced, "coordination.k8s.io", "leases", "update")).as("leader election").isTrue();
        assertThat(allows(cluster, "carp-operator.io", "virtualips/status", "patch")).isTrue();
    }

    @Test
    void operatorRunsAsNonRootWithAReadOnlyRootFilesystemAndProbes() throws IOException {
        Deployment deployment = one(render(DEPLOY), Deployment.class, "carp-operator");
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("operator");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getLivenessProbe()).isNotNull();
        assertThat(container.getReadinessProbe()).isNotNull();
        assertThat(pod.getServiceAccountName()).isEqualTo("carp-operator");
    }

    @Test
    void sampleTranslatesTheSeedAndIsValid() throws IOException {
        List<HasMetadata> objects = render(DEPLOY.resolve("samples"));
        VirtualIP vip = serialization.convertValue(one(objects, HasMetadata.class, "carp99"), VirtualIP.class);
        assertThat(SpecValidator.validate(vip.getSpec())).isEmpty();
        assertThat(vip.getSpec().address).isEqualTo("192.168.10.1/24");
        assertThat(vip.getSpec().vhid).isEqualTo(99);
        assertThat(vip.getSpec().preempt).isTrue();
        assertThat(vip.getSpec().isolation.hosts).containsExactly("192.168.10.254");
        assertThat(vip.getSpec().passwordSecretRef.name).isEqualTo(one(objects, HasMetadata.class, "carp-password").getMetadata().getName());
    }

    @Test
    void kubectlRendersTheBaseIntoTheOperatorNamespace() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed here; the Java rendering above still checks deploy/");
        Process process = new ProcessBuilder("kubectl", "kustomize", "deploy").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("kind: Deployment").contains("namespace: carp-system").contains("image: carp-operator:0.1.0");
    }

    @Test
    void kubectlRendersTheKindOverlayWithImagesThatAreNeverPulled() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed here; the Kind overlay is rendered by hack/kind-e2e.sh");
        Process process = new ProcessBuilder("kubectl", "kustomize", "deploy/overlays/kind").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("imagePullPolicy: Never").contains("CARP_AGENT_IMAGE_PULL_POLICY");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean allows(List<PolicyRule> rules, String group, String resource, String verb) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().contains(verb) && (r.getResourceNames() == null || r.getResourceNames().isEmpty() || !verb.equals("create")));
    }

    /** Seen on the operator's /q/metrics (JOSDK's Micrometer metrics through QOSDK) with a VirtualIP reconciled. */
    private static final Set<String> OPERATOR_METRICS = Set.of("reconciliations_started_total", "reconciliations_success_total",
            "reconciliations_failure_total", "reconciliations_execution_duration_seconds_bucket", "reconciliations_queue",
            "reconciliations_active", "custom_resources");

    @Test
    void grafanaDashboardQueriesOnlyMetricsTheAgentAndTheOperatorExport() throws IOException {
        Set<String> exported = new java.util.HashSet<>(OPERATOR_METRICS);
        java.util.regex.Matcher help = java.util.regex.Pattern.compile("(?m)^# TYPE (\\S+) ")
                .matcher(new io.carpoperator.agent.AgentMetrics().render());
        while (help.find()) {
            exported.add(help.group(1));
        }
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(Path.of("deploy/monitoring/grafana-dashboard.json")));
        List<String> queried = new ArrayList<>();
        for (var panel : dashboard.get("panels")) {
            assertThat(panel.path("targets").size()).as("panel %s has queries", panel.path("title")).isPositive();
            for (var target : panel.get("targets")) {
                java.util.regex.Matcher metric = java.util.regex.Pattern.compile("\\b(carp_[a-z_]+|reconciliations_[a-z_]+|custom_resources)\\b")
                        .matcher(target.path("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group(1));
                }
            }
        }
        assertThat(queried).as("metrics the dashboard queries").isNotEmpty().allMatch(exported::contains, "is exported");
        assertThat(exported.stream().filter(m -> m.startsWith("carp_")).toList()).as("every agent metric has a panel")
                .allMatch(queried::contains, "is on the dashboard");
        assertThat(Files.readString(Path.of("deploy/monitoring/podmonitors.yaml")))
                .as("the dashboard groups agents by node").contains("targetLabel: node");
    }
}
