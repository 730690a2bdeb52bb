package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry as a freshly started operator sees it: status.vhid is the only record of what was allocated. */
class VhidRegistryTest {
    private static final List<Node> NODES = List.of(node("node-a", "yes"), node("node-b", "yes"), node("node-c", "no"));

    private static Node node(String name, String vip) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of("vip", vip)).endMetadata().build();
    }

    private static VirtualIP vip(String name, int second, String address, Integer statusVhid) {
        VirtualIP vip = new VirtualIP();
        vip.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp("2026-01-01T00:00:0" + second + "Z").build());
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = address;
        vip.setSpec(spec);
        if (statusVhid != null) {
            vip.setStatus(new VirtualIPStatus());
            vip.getStatus().vhid = statusVhid;
            vip.getStatus().resolved = new ResolvedConfig();
        }
        return vip;
    }

    @Test
    void aRestartedOperatorKeepsEveryRecordedVhidAndGivesANewcomerAFreeOne() {
        var one = vip("one", 0, "198.51.100.10/32", 1);
        var two = vip("two", 1, "198.51.100.11/32", 2);
        var three = vip("three", 2, "198.51.100.12/32", null);
        var all = List.of(one, two, three);
        var registry = new VhidRegistry();
        assertThat(registry.decide(two, all, NODES)).isEqualTo(new VhidAllocator.Allocated(2));
        assertThat(registry.decide(three, all, NODES)).isEqualTo(new VhidAllocator.Allocated(3));
        assertThat(registry.decide(one, all, NODES)).isEqualTo(new VhidAllocator.Allocated(1));
    }

    @Test
    void twoVirtualIPsAllocatedTheSameVhidUnderThePerSubnetRuleAreNotRenumberedAfterARestart() {
        var older = vip("older", 0, "198.51.100.10/24", 1);
        var younger = vip("younger", 1, "203.0.113.10/24", 1);
        var all = List.of(older, younger);
        var registry = new VhidRegistry();
        assertThat(registry.decide(younger, all, NODES)).isInstanceOf(VhidAllocator.Contested.class)
                .extracting(d -> ((VhidAllocator.Contested) d).vhid()).isEqualTo(1);
        assertThat(registry.decide(older, all, NODES)).isEqualTo(new VhidAllocator.Allocated(1));
        var newcomer = vip("newcomer", 2, "192.0.2.10/24", null);
        assertThat(registry.decide(newcomer, List.of(older, younger, newcomer), NODES)).isEqualTo(new VhidAllocator.Allocated(2));
    }

    @Test
    void disjointNodeSelectorsMayReuseAVhid() {
        var yes = vip("yes", 0, "198.51.100.10/24", 1);
        yes.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("vip", "yes")).build();
        var no = vip("no", 1, "198.51.100.11/24", null);
        no.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("vip", "no")).build();
        assertThat(new VhidRegistry().decide(no, List.of(yes, no), NODES)).isEqualTo(new VhidAllocator.Allocated(1));
    }

    @Test
    void aSelectionOfNoNodeYetCountsAsEveryNode() {
        var none = vip("none", 0, "198.51.100.10/24", null);
        none.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("vip", "later")).build();
        assertThat(VipClaim.scope(none, NODES)).isEqualTo(LinkScope.ANYWHERE);
    }

    @Test
    void theNodesAgentsStillRunTheLastResolvedConfigurationOnCountToo() {
        var moved = vip("moved", 0, "198.51.100.10/24", 1);
        moved.getSpec().nodeSelector = new LabelSelectorBuilder().withMatchLabels(Map.of("vip", "no")).build();
        var stillRunning = new ResolvedConfig.ResolvedNode();
        stillRunning.name = "node-a";
        moved.getStatus().resolved.nodes = List.of(stillRunning);
        assertThat(VipClaim.scope(moved, NODES)).isEqualTo(new LinkScope(Set.of("node-a", "node-c"), null));
    }
}
