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
}
