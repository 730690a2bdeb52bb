package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.AdvertisementSpec;
import io.carpoperator.api.ProbeType;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigResolverTest {

    private static VirtualIP vip(VirtualIPSpec spec) {
        VirtualIP vip = new VirtualIP();
        vip.setMetadata(new ObjectMetaBuilder().withName("web").withGeneration(4L).build());
        vip.setSpec(spec);
        return vip;
    }

    @Test
    void fillsInEveryDefault() {
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = "198.51.100.10/24";
        spec.passwordSecretRef = new SecretKeyRef("s", "k");
        var resolved = ConfigResolver.resolve(vip(spec), 7, List.of("a"));
        assertThat(resolved.generation).isEqualTo(4L);
        assertThat(resolved.vhid).isEqualTo(7);
        assertThat(resolved.preempt).isFalse();
        assertThat(resolved.advertisementIntervalSeconds).isEqualTo(1);
        assertThat(resolved.isolationEnabled).isTrue();
        assertThat(resolved.isolationHosts).isEmpty();
        assertThat(resolved.probeIntervalMillis).isEqualTo(1000);
        assertThat(resolved.holdLimit).isEqualTo(2);
        assertThat(resolved.recoverAfter).isEqualTo(2);
        assertThat(resolved.probes).containsExactly(ProbeType.ICMP, ProbeType.ARP);
        assertThat(resolved.gratuitousArpIntervalSeconds).isEqualTo(10);
    }

    @Test
    void earlierPreferredNodesGetLowerSkewAndTheRestComeLast() {
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = "198.51.100.10/24";
        spec.preferredNodes = List.of("c", "a");
        spec.advertisement = new AdvertisementSpec();
        spec.advertisement.skew = 10;
        var resolved = ConfigResolver.resolve(vip(spec), 1, List.of("a", "b", "c"));
        assertThat(resolved.node("c").orElseThrow().advskew).isEqualTo(10);
        assertThat(resolved.node("a").orElseThrow().advskew).isEqualTo(11);
        assertThat(resolved.node("b").orElseThrow().advskew).isEqualTo(12);
    }
}
