package io.carpoperator.operator;

import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * The agent's desired objects: one hostNetwork DaemonSet and the least privilege it needs — read VirtualIPs, patch
 * their status (its own node entry), read Secrets in its own namespace. Nothing else.
 */
public final class AgentManifests {
    static final String NAME = "carp-agent";
    static final String MANAGED_BY = "carp-operator";
    static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/name", NAME,
            "app.kubernetes.io/component", "agent",
            "app.kubernetes.io/managed-by", MANAGED_BY);
    static final String RUN_VOLUME = "run";
    static final String RUN_PATH = "/run/carp";
    /** glibc gives every thread its own malloc arena by default; with a ucarp reader per VIP that is most of the RSS. */
    public static final Map<String, String> AGENT_NATIVE_ENV = Map.of("MALLOC_ARENA_MAX", "2");
    /**
     * The agent's JVM: a bounded heap and small stacks and code cache, so its RSS stays small on every node whatever
     * the node's RAM (a percentage of a large node's memory would let the young generation grow far before any GC).
     */
    public static final String AGENT_JVM_OPTIONS = "-XX:+UseSerialGC -Xms16m -Xmx48m -XX:MaxMetaspaceSize=96m"
            + " -XX:ReservedCodeCacheSize=24m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:MaxDirectMemorySize=16m";
    /** The root filesystem is read-only; the JVM and Vert.x still want a writable /tmp. */
    static final String TMP_VOLUME = "tmp";

    private AgentManifests() {
    }

    static List<HasMetadata> desired(OperatorSettings settings, KubernetesSerialization serialization) {
        String ns = settings.namespace();
        return List.of(
                new ServiceAccountBuilder().withNewMetadata().withName(NAME).withNamespace(ns).withLabels(LABELS).endMetadata().build(),
                new ClusterRoleBuilder().withNewMetadata().withName(NAME).withLabels(LABELS).endMetadata()
                        .withRules(
                                new PolicyRuleBuilder().withApiGroups(VirtualIP.GROUP).withResources("virtualips")
                                        .withVerbs("get", "list", "watch").build(),
                                new PolicyRuleBuilder().withApiGroups(VirtualIP.GROUP).withResources("virtualips/status")
                                        .withVerbs("get", "patch").build())
                        .build(),
                new ClusterRoleBindingBuilder().withNewMetadata().withName(NAME).withLabels(LABELS).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", NAME)
                        .withSubjects(new SubjectBuilder().withKind("ServiceAccount").withName(NAME).withNamespace(ns).build())
                        .build(),
                new RoleBuilder().withNewMetadata().withName(NAME).withNamespace(ns).withLabels(LABELS).endMetadata()
                        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                                .withVerbs("get", "list", "watch").build())
                        .build(),
                new RoleBindingBuilder().withNewMetadata().withName(NAME).withNamespace(ns).withLabels(LABELS).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", NAME)
                        .withSubjects(new SubjectBuilder().withKind("ServiceAccount").withName(NAME).withNamespace(ns).build())
                        .build(),
                daemonSet(settings, serialization));
    }

    static DaemonSet daemonSet(OperatorSettings settings, KubernetesSerialization serialization) {
        OperatorSettings.Agent agent = settings.agent();
        List<Toleration> tolerations = List.of(serialization.unmarshal(agent.tolerations(), Toleration[].class));
        var securityContext = agent.privileged()
                ? new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
                        .withPrivileged(true).withReadOnlyRootFilesystem(true).withRunAsUser(0L).build()
                : new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
                        .withPrivileged(false)
                        .withAllowPrivilegeEscalation(false)
                        .withReadOnlyRootFilesystem(true)
                        // root inside the pod, but with only the two capabilities `ip addr` and raw ICMP/ARP/CARP need
                        .withRunAsUser(0L)
                        .withNewCapabilities().withAdd("NET_ADMIN", "NET_RAW").withDrop("ALL").endCapabilities()
                        .build();
        var health = new IntOrString(agent.healthPort());
        var container = new ContainerBuilder()
                .withName("agent")
                .withImage(agent.image())
                .withImagePullPolicy(agent.imagePullPolicy())
                .withArgs("agent")
                .withEnv(
                        new EnvVarBuilder().withName("NODE_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName")
                                .endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("NODE_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP")
                                .endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("CARP_NAMESPACE").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("CARP_AGENT_HEALTH_PORT").withValue(String.valueOf(agent.healthPort())).build(),
                        new EnvVarBuilder().withName("CARP_AGENT_RUN_DIR").withValue(RUN_PATH).build(),
                        new EnvVarBuilder().withName("JAVA_OPTS").withValue(AGENT_JVM_OPTIONS).build(),
                        new EnvVarBuilder().withName("MALLOC_ARENA_MAX").withValue(AGENT_NATIVE_ENV.get("MALLOC_ARENA_MAX")).build(),
                        new EnvVarBuilder().withName("CARP_STATUS_STALENESS").withValue(settings.status().staleness().toString()).build(),
                        // the agent serves its own /healthz, /readyz and /metrics; Quarkus' HTTP port stays closed on the host network
                        new EnvVarBuilder().withName("QUARKUS_HTTP_HOST_ENABLED").withValue("false").build())
                .withSecurityContext(securityContext)
                // hostNetwork: the port is the node's; named so a PodMonitor can scrape /metrics
                .addNewPort().withName("metrics").withContainerPort(agent.healthPort()).withProtocol("TCP").endPort()
                .withNewResources()
                .withRequests(Map.of("memory", new Quantity(agent.memoryRequest()), "cpu", new Quantity(agent.cpuRequest())))
                .withLimits(Map.of("memory", new Quantity(agent.memoryLimit())))
                .endResources()
                .withLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz").withPort(health).endHttpGet()
                        .withPeriodSeconds(10).withFailureThreshold(3).build())
                .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/readyz").withPort(health).endHttpGet()
                        .withPeriodSeconds(5).build())
                .addNewVolumeMount().withName(RUN_VOLUME).withMountPath(RUN_PATH).endVolumeMount()
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
                .build();
        return new DaemonSetBuilder()
                .withNewMetadata().withName(NAME).withNamespace(settings.namespace()).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withNewSelector().withMatchLabels(Map.of("app.kubernetes.io/name", NAME)).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(1)).endRollingUpdate().endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withServiceAccountName(NAME)
                .withHostNetwork(true)
                .withDnsPolicy("ClusterFirstWithHostNet")
                .withPriorityClassName("system-node-critical")
                // the agent hands the address over on SIGTERM within about a second; give it room
                .withTerminationGracePeriodSeconds(15L)
                .withNodeSelector(agent.nodeSelector())
                .withTolerations(tolerations)
                .withContainers(container)
                .addNewVolume().withName(RUN_VOLUME).withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("16Mi"))
                .endEmptyDir().endVolume()
                .addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("32Mi")).endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
