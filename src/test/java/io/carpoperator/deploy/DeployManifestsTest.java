package io.carpoperator.deploy;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.LoopHeartbeat;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.agent.AgentRuntime;
import io.carpoperator.agent.AgentSettings;
import io.carpoperator.agent.ClusterAgent;
import io.carpoperator.api.CrdFiles;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.testing.PrometheusSamples;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** deploy/ is what users apply: it must parse, match crds/, and grant no more than the operator needs. */
class DeployManifestsTest {
    private static final Path DEPLOY = DeployManifests.DEPLOY;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private List<HasMetadata> render(Path dir) throws IOException {
        return DeployManifests.render(dir);
    }

    private <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return DeployManifests.one(objects, type, name);
    }

    @Test
    void baseHoldsTheCrdsTheOperatorAndTheAgentsEachWithItsRbac() throws IOException {
        List<String> kinds = render(DEPLOY).stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
        assertThat(kinds).containsExactlyInAnyOrder(
                "CustomResourceDefinition virtualips.carp-operator.io", "CustomResourceDefinition nodereports.carp-operator.io",
                "Namespace carp-system", "ServiceAccount carp-operator", "ClusterRole carp-operator", "ClusterRoleBinding carp-operator",
                "Role carp-operator", "RoleBinding carp-operator", "Role carp-operator", "RoleBinding carp-operator",
                "Role carp-operator-events", "RoleBinding carp-operator-events", "Deployment carp-operator",
                "Namespace carp-agents", "ServiceAccount carp-agent", "Role carp-agent", "RoleBinding carp-agent",
                "ClusterRole carp-agent", "ClusterRoleBinding carp-agent", "DaemonSet carp-agent",
                "ValidatingAdmissionPolicy carp-agent-writes-only-its-node-report",
                "ValidatingAdmissionPolicyBinding carp-agent-writes-only-its-node-report");
        assertThat(render(DEPLOY)).filteredOn(o -> !List.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding",
                "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding").contains(o.getKind()))
                .as("every namespaced object names its namespace").allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isNotBlank());
    }

    @Test
    void deployedCrdsAreTheCommittedOnes() throws IOException {
        for (String crd : CrdFiles.CRDS.keySet()) {
            assertThat(Files.readString(CrdFiles.deployed(crd)))
                    .as("deploy/base/crd must be a copy of crds/; run: mvn test -Dtest=CrdIsCurrentTest -Dcarp.updateCrds=true")
                    .isEqualTo(Files.readString(CrdFiles.committed(crd)));
        }
    }

    @Test
    void rbacHasNoWildcardsAndNoEscalatingVerbs() throws IOException {
        List<PolicyRule> rules = new ArrayList<>();
        for (HasMetadata object : render(DEPLOY)) {
            if (object instanceof ClusterRole role) {
                rules.addAll(role.getRules());
            } else if (object instanceof Role role) {
                rules.addAll(role.getRules());
            }
        }
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*", "deletecollection", "escalate", "impersonate", "bind");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @Test
    void everyGrantIsListedAndNoMore() throws IOException {
        List<String> triples = RbacTriples.of(render(DEPLOY));
        System.out.println("RBAC (subject | verb | resource [in namespace] [names]):");
        triples.forEach(t -> System.out.println("  " + t));
        assertThat(triples).containsExactlyElementsOf(RbacTriples.EXPECTED);
    }

    @Test
    void theOperatorCannotCreateWorkloadsOrRbacAndWritesOnlyTheAgentsInputs() throws IOException {
        List<String> operator = RbacTriples.of(render(DEPLOY)).stream().filter(t -> t.startsWith("carp-system/carp-operator ")).toList();
        assertThat(operator).noneMatch(t -> t.matches(".*\\| (create|update|patch|delete) \\| (daemonsets|deployments|pods|"
                + "serviceaccounts|roles|rolebindings|clusterroles|clusterrolebindings)\\b.*"));
        assertThat(operator).filteredOn(t -> t.contains("| secrets") && !t.contains("| get |") && !t.contains("| list |") && !t.contains("| watch |"))
                .as("writes Secrets only in the agents' namespace (the password copies)").allMatch(t -> t.contains("in carp-agents"));
    }

    @Test
    void agentsReadOnlyTheirNamespaceAndWriteOnlyNodeReports() throws IOException {
        List<String> agent = RbacTriples.of(render(DEPLOY)).stream().filter(t -> t.startsWith("carp-agents/carp-agent ")).toList();
        assertThat(agent).isNotEmpty().allSatisfy(t -> {
            if (t.contains("| secrets") || t.contains("| configmaps")) {
                assertThat(t).matches(".*\\| (get|list|watch) \\|.* in carp-agents");
            } else {
                assertThat(t).contains("| carp-operator.io/nodereports");
            }
        });
        assertThat(agent).noneMatch(t -> t.contains("virtualips"));
    }

    @Test
    void theAgentsRunInAPrivilegedNamespaceWithOnlyTheCapabilitiesTheyNeed() throws IOException {
        List<HasMetadata> objects = render(DEPLOY);
        assertThat(one(objects, io.fabric8.kubernetes.api.model.Namespace.class, "carp-agents").getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
        assertThat(one(objects, io.fabric8.kubernetes.api.model.Namespace.class, "carp-system").getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        DaemonSet agents = one(objects, DaemonSet.class, "carp-agent");
        assertThat(agents.getMetadata().getNamespace()).isEqualTo("carp-agents");
        var pod = agents.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getServiceAccountName()).isEqualTo("carp-agent");
        var container = pod.getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("agent");
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getPrivileged()).isFalse();
        var env = container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertThat(env).as("the benchmarks start the agent the same way").containsEntry("JAVA_OPTS", AgentRuntime.JVM_OPTIONS)
                .containsAllEntriesOf(AgentRuntime.NATIVE_ENV);
    }

    @Test
    void theAgentsRollOneNodeAtATimeAndTheNextOnlyOnceThePreviousIsABackupAgain() throws IOException {
        DaemonSet agents = one(render(DEPLOY), DaemonSet.class, "carp-agent");
        assertThat(agents.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(agents.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(agents.getSpec().getMinReadySeconds()).as("ready (every VIP past INIT) plus a margin").isGreaterThanOrEqualTo(10);
        var pod = agents.getSpec().getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(15L);
        var container = pod.getContainers().get(0);
        String port = container.getEnv().stream().filter(e -> e.getName().equals("CARP_AGENT_HEALTH_PORT")).findFirst().orElseThrow().getValue();
        assertThat(container.getReadinessProbe().getHttpGet()).returns("/readyz", p -> p.getPath())
                .returns(port, p -> p.getPort().getIntVal().toString());
        assertThat(container.getLivenessProbe().getHttpGet()).returns("/healthz", p -> p.getPath())
                .returns(port, p -> p.getPort().getIntVal().toString());
        var liveness = container.getLivenessProbe();
        assertThat(Duration.ofSeconds((long) liveness.getPeriodSeconds() * liveness.getFailureThreshold()))
                .as("liveness rides out a heartbeat missed for longer than its limit before it restarts the agent")
                .isGreaterThanOrEqualTo(LoopHeartbeat.PERIOD.multipliedBy(LoopHeartbeat.MISSED_TICKS_ALLOWED));
        assertThat(container.getReadinessProbe().getPeriodSeconds()).as("polled within the minReadySeconds margin")
                .isLessThanOrEqualTo(agents.getSpec().getMinReadySeconds());
    }

    @Test
    void theOperatorAndTheAgentsAgreeOnWhenANodesEntryIsStale() throws IOException {
        List<HasMetadata> objects = render(DEPLOY);
        var operator = one(objects, Deployment.class, "carp-operator").getSpec().getTemplate().getSpec().getContainers().get(0);
        var agent = one(objects, DaemonSet.class, "carp-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(envValue(operator, AgentSettings.STALENESS)).isNotNull().isEqualTo(envValue(agent, AgentSettings.STALENESS));
    }

    private static String envValue(io.fabric8.kubernetes.api.model.Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
    }

    @Test
    void theAgentsMemoryLimitCoversTheMostVipsItRuns() throws IOException {
        var container = one(render(DEPLOY), DaemonSet.class, "carp-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
        long limit = container.getResources().getLimits().get("memory").getNumericalAmount().longValue();
        // measured (docs/BENCHMARKS.md): 316 MiB PSS for the data plane's JVM and 100 ucarp, the packaged agent 40 MiB more
        long measuredAtMaxMiB = 316 + 40;
        assertThat(ClusterAgent.MAX_VIPS_PER_NODE).isEqualTo(100);
        assertThat(limit).as("limit above the footprint at the most VIPs an agent runs, with a third to spare")
                .isGreaterThanOrEqualTo(measuredAtMaxMiB * 4 / 3 * 1024 * 1024);
    }

    @Test
    void theAgentsStateDirectoryIsOnTheHostSoItOutlivesThePod() throws IOException {
        var pod = one(render(DEPLOY), DaemonSet.class, "carp-agent").getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        String stateDir = container.getEnv().stream().filter(e -> e.getName().equals(AgentSettings.STATE_DIR)).findFirst()
                .orElseThrow(() -> new AssertionError("the agent sets no " + AgentSettings.STATE_DIR)).getValue();
        var mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(stateDir)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + stateDir));
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getHostPath()).as("a hostPath, not an emptyDir that dies with the pod").isNotNull();
        assertThat(volume.getHostPath().getPath()).startsWith("/run/");
        assertThat(volume.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
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
        assertThat(output).contains("kind: Deployment").contains("namespace: carp-system").contains("namespace: carp-agents")
                .contains("image: carp-operator:0.1.0");
    }

    @Test
    void kubectlRendersTheKindOverlayWithImagesThatAreNeverPulled() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed here; the Kind overlay is rendered by hack/kind-e2e.sh");
        Process process = new ProcessBuilder("kubectl", "kustomize", "deploy/overlays/kind").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("imagePullPolicy: Never").doesNotContain("imagePullPolicy: IfNotPresent");
    }

    /** hack/kind-e2e.sh stops and kills workers: the agents must not run on the API server's node, the operator must. */
    @Test
    void kubectlRendersTheKindOverlayWithAgentsOnWorkersOnlyAndTheOperatorOnTheControlPlane() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed here; the Kind overlay is rendered by hack/kind-e2e.sh");
        Process process = new ProcessBuilder("kubectl", "kustomize", "deploy/overlays/kind").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Object parsed = serialization.unmarshal(output);
        List<HasMetadata> objects = parsed instanceof KubernetesList list ? list.getItems()
                : ((List<?>) parsed).stream().map(HasMetadata.class::cast).toList();

        var agentTerms = one(objects, DaemonSet.class, "carp-agent").getSpec().getTemplate().getSpec().getAffinity()
                .getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(agentTerms).singleElement().satisfies(term -> assertThat(term.getMatchExpressions()).singleElement()
                .satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo("node-role.kubernetes.io/control-plane");
                    assertThat(e.getOperator()).isEqualTo("DoesNotExist");
                }));
        var operatorPod = one(objects, Deployment.class, "carp-operator").getSpec().getTemplate().getSpec();
        assertThat(operatorPod.getNodeSelector()).containsExactly(Map.entry("node-role.kubernetes.io/control-plane", ""));
        assertThat(operatorPod.getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("node-role.kubernetes.io/control-plane");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Seen on the operator's /q/metrics (JOSDK's Micrometer metrics through QOSDK) with a VirtualIP reconciled. */
    private static final Set<String> OPERATOR_METRICS = Set.of("reconciliations_started_total", "reconciliations_success_total",
            "reconciliations_failure_total", "reconciliations_execution_duration_seconds_bucket", "reconciliations_queue",
            "reconciliations_active", "custom_resources");

    /** A series appears once it has a value: one VIP that changed state, probed and restarted ucarp shows them all. */
    private static AgentMetrics agentMetricsWithOneVip() {
        AgentMetrics metrics = new AgentMetrics();
        metrics.stateChanged("web", "198.51.100.10", NodeState.MASTER);
        metrics.probeRound("web", new ProbeRound(Instant.EPOCH, List.of(
                ProbeResult.answered(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12"), Duration.ofMillis(2)))));
        metrics.ucarpRestarts("web", 1);
        return metrics;
    }

    @Test
    void grafanaDashboardQueriesOnlyMetricsTheAgentAndTheOperatorExport() throws IOException {
        Set<String> exported = new java.util.HashSet<>(OPERATOR_METRICS);
        exported.addAll(PrometheusSamples.parse(agentMetricsWithOneVip().render()).types().keySet());
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
