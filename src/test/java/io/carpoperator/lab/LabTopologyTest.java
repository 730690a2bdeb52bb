package io.carpoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabTopologyTest {

    @Test
    void nodesGetAddressesFromElevenOnBothNetworks() {
        assertThat(LabTopology.nodeAddress(1)).isEqualTo("198.51.100.11");
        assertThat(LabTopology.nodeAddress(3)).isEqualTo("198.51.100.13");
        assertThat(LabTopology.heartbeatAddress(2)).isEqualTo("203.0.113.12");
    }

    @Test
    void rejectsNodeIndexesOutsideThePlan() {
        assertThatThrownBy(() -> LabTopology.nodeAddress(0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> LabTopology.nodeAddress(LabTopology.MAX_NODES + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interfaceNamesFitTheKernelsFifteenCharacterLimit() {
        assertThat(LabTopology.rootManagementInterface("carplab-1a2b3c")).hasSizeLessThanOrEqualTo(15);
        assertThat(LabTopology.vipPort("gateway")).hasSizeLessThanOrEqualTo(15);
        assertThat(LabTopology.heartbeatPort(LabTopology.nodeName(LabTopology.MAX_NODES))).hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void recognisesOnlyWellFormedRunPrefixes() {
        assertThat(LabTopology.isRunPrefix("carplab-1a2b3c")).isTrue();
        assertThat(LabTopology.isRunPrefix("carplab-1a2b3c-node1")).isFalse();
        assertThat(LabTopology.isRunPrefix("carplab-")).isFalse();
        assertThat(LabTopology.isRunPrefix("other-1a2b3c")).isFalse();
    }

    @Test
    void theRootNamespaceRoutesEveryNodesHeartbeatAddressButNotTheRestOf203_0_113() {
        io.carpoperator.api.Ipv4Cidr root = io.carpoperator.api.Ipv4Cidr.parse(
                LabTopology.MANAGEMENT_ADDRESS + "/" + LabTopology.ROOT_MANAGEMENT_PREFIX_LENGTH);
        for (int node = 1; node <= LabTopology.MAX_NODES; node++) {
            assertThat(root.contains(io.carpoperator.api.Ipv4Cidr.parse(LabTopology.heartbeatAddress(node) + "/32").network()))
                    .as("node %d's heartbeat address %s", node, LabTopology.heartbeatAddress(node)).isTrue();
        }
        // this machine's package registries (Maven Central, Debian, npm) resolve to 203.0.113.80
        assertThat(root.contains(io.carpoperator.api.Ipv4Cidr.parse("203.0.113.80/32").network())).isFalse();
        assertThat(root.broadcast()).isEqualTo(io.carpoperator.api.Ipv4Cidr.parse("203.0.113.31/32").network());
    }
}
