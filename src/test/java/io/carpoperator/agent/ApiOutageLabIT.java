package io.carpoperator.agent;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.VipRunnerFactory;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.VipRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.carpoperator.api.CrdFiles;
import io.carpoperator.api.NodeReport;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.OutageReport;
import io.carpoperator.testing.LabTest;
import io.carpoperator.testing.StrictKubernetesServerTestResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The data plane never waits on the API server: two cluster agents (the same ClusterAgent + VipRunner code as in a
 * pod, real ucarp in lab namespaces) elect a master from the operator-published configuration, then the API server goes away
 * and the master dies — the backup still takes over.
 */
@LabTest
class ApiOutageLabIT {
    private static final String VIP = "198.51.100.10";

    @Test
    void failoverStillWorksWhileTheApiServerIsUnreachable() throws Exception {
        KubernetesMockServer api = StrictKubernetesServerTestResource.startStrictServer();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(6);
        List<ClusterAgent> agents = new ArrayList<>();
        Path runDirs = Files.createTempDirectory("api-outage-");
        try (Lab lab = Lab.builder().nodes(2).build(); KubernetesClient client = api.createClient()) {
            LabNode first = lab.node(1);
            LabNode second = lab.node(2);
            installVirtualIP(client, "web", VIP + "/24", 10, first, second);
            for (LabNode node : List.of(first, second)) {
                var settings = new AgentSettings(node.name(), node.heartbeatAddress(), AgentFixtures.NAMESPACE, runDirs.resolve(node.name()), 0,
                        Duration.ofSeconds(30));
                var environment = DataPlaneEnvironment.forHost(settings.runDir(), List.of("ip", "netns", "exec", node.namespace()),
                        scheduler, new AgentMetrics());
                agents.add(new ClusterAgent(client, settings, new VipRunnerFactory(environment)).start());
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> lab.holders(VIP).equals(List.of(first)));
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeState(client, first.name()) == NodeState.MASTER);

            try (ClientPinger pinger = lab.startPinger(VIP)) {
                await().atMost(Duration.ofSeconds(3)).until(() -> pinger.replyCountSince(Instant.now().minusMillis(500)) > 10);
                api.destroy(); // the API server is gone for good
                Instant faultAt = Instant.now();
                lab.faults().killHard(ucarpPid(lab, first));
                lab.faults().linkDown(first);

                await().atMost(Duration.ofSeconds(4)).until(() -> second.hasAddress(VIP));
                Instant taken = Instant.now();
                await().atMost(Duration.ofSeconds(3)).until(() -> pinger.repliedSince(taken));
                OutageReport report = pinger.report();
                var outage = report.longestGap(faultAt.minusMillis(200), report.lastReply().orElseThrow());
                System.out.printf("[%s] API server down, master killed: backup took over, client outage %d ms%n", lab.runPrefix(),
                        outage.duration().toMillis());
                assertThat(outage.duration()).isLessThan(Duration.ofSeconds(4));
            }
            assertThat(agents.get(1).runningVips()).as("the backup's agent kept its configuration").containsKey("web");
            agents.forEach(ClusterAgent::close); // while the lab's namespaces still exist, so the release can run
        } finally {
            agents.forEach(ClusterAgent::close);
            scheduler.shutdownNow();
            api.destroy();
            try (var files = Files.walk(runDirs)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * What the operator would have published: the CRDs, the agents' password copy and ConfigMap of a VirtualIP selecting
     * {@code nodes}, the first preferred (advskew 0, then 10, 20, ...).
     */
    static void installVirtualIP(KubernetesClient client, String name, String cidr, int vhid, LabNode... nodes) throws Exception {
        for (String crdName : CrdFiles.CRDS.keySet()) {
            var crd = client.getKubernetesSerialization().unmarshal(Files.readString(CrdFiles.committed(crdName)), CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(existing -> existing.update());
        }
        client.secrets().inNamespace(AgentFixtures.NAMESPACE)
                .resource(AgentFixtures.secret(AgentFixtures.SECRET, AgentFixtures.KEY, "lab-secret")).createOr(existing -> existing.update());
        ResolvedConfig resolved = AgentFixtures.resolved(cidr, vhid);
        resolved.preempt = true;
        resolved.probeIntervalMillis = 500;
        resolved.gratuitousArpIntervalSeconds = 2;
        for (int i = 0; i < nodes.length; i++) {
            resolved.nodes.add(new ResolvedConfig.ResolvedNode(nodes[i].name(), 10 * i));
        }
        client.resource(AgentFixtures.vip(name, resolved)).create();
    }

    /** The node's state for "web" as its agent reported it in its NodeReport. */
    private static NodeState nodeState(KubernetesClient client, String node) {
        NodeReport report = client.resources(NodeReport.class).withName(node).get();
        var entry = report == null ? null : report.getSpec().vips.get("web");
        return entry == null ? null : entry.state;
    }

    private static long ucarpPid(Lab lab, LabNode node) throws Exception {
        var result = node.run(List.of("pgrep", "-n", "-f", "ucarp .*-s " + node.address() + " "));
        return Long.parseLong(result.output().trim().lines().findFirst().orElseThrow());
    }
}
