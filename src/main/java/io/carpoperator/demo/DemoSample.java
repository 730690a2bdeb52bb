package io.carpoperator.demo;

import io.carpoperator.api.VirtualIP;
import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.LabTopology;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * deploy/samples/virtualip-seed.yaml (the seed's carp99: VHID 99, preempt, skew 10, isolation host, hold limit 2)
 * translated to the lab: its address and isolation host move into 198.51.100.0/24, its interface becomes the lab's,
 * and the lab's nodes are listed as preferredNodes so node1 is the master a step can count on.
 */
final class DemoSample {
    static final String RESOURCE = "/samples/virtualip-seed.yaml";

    private DemoSample() {
    }

    static VirtualIP forLab(List<LabNode> nodes) {
        VirtualIP vip;
        try (InputStream in = DemoSample.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE);
            }
            vip = Serialization.unmarshal(in, VirtualIP.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        vip.getSpec().address = LabTopology.SUGGESTED_VIP + "/" + LabTopology.PREFIX_LENGTH;
        vip.getSpec().interfaceName = LabTopology.VIP_INTERFACE;
        if (vip.getSpec().isolation != null) {
            vip.getSpec().isolation.hosts = List.of(LabTopology.GATEWAY_ADDRESS);
        }
        vip.getSpec().preferredNodes = nodes.stream().map(LabNode::name).toList();
        return vip;
    }
}
