package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class TolerantJsonTest {
    // a plain Fabric8 serialization fails on unknown properties, as the Quarkus client in the tests does
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    static final String FROM_THE_FUTURE = """
            {"apiVersion": "carp-operator.io/v1alpha1", "kind": "VirtualIP", "metadata": {"name": "from-the-future"},
             "spec": {"address": "198.51.100.130/24", "vhid": "five", "preempt": 1,
                      "passwordSecretRef": {"name": "carp-password", "key": "password"},
                      "isolation": {"holdLimit": 3, "probes": ["ICMP", "TCP"], "newKnob": 5}},
             "status": {"phase": "Upgrading", "vhid": 7,
                        "nodes": {"node-a": {"state": "DRAINING", "address": "198.51.100.2"}, "node-b": "garbage"},
                        "resolved": {"address": "198.51.100.130/24", "holdLimit": 2.5, "probes": ["ICMP"]}}}""";

    @Test
    void readsWhatFitsAndSetsAsideEachValueThatDoesNotNamingItsField() {
        VirtualIP vip = serialization.unmarshal(FROM_THE_FUTURE, VirtualIP.class);

        assertThat(vip.getSpec().address).isEqualTo("198.51.100.130/24");
        assertThat(vip.getSpec().isolation.holdLimit).isEqualTo(3);
        assertThat(vip.getSpec().vhid).isNull();
        assertThat(vip.getSpec().isolation.probes).as("a list with a bad element is set aside whole").isNull();
        assertThat(vip.getSpec().unread).extracting(UnreadValue::toString).containsExactlyInAnyOrder(
                "spec.vhid: \"five\" is not an integer",
                "spec.preempt: 1 is not a boolean (true or false)",
                "spec.isolation.probes[1]: unsupported value \"TCP\": supported values: \"ICMP\", \"ARP\"",
                "spec.isolation.newKnob: is not a field of this operator version; ignored");

        assertThat(vip.getStatus().vhid).isEqualTo(7);
        assertThat(vip.getStatus().phase).isNull();
        assertThat(vip.getStatus().nodes.get("node-a").address).isEqualTo("198.51.100.2");
        assertThat(vip.getStatus().nodes.get("node-a").state).isNull();
        assertThat(vip.getStatus().nodes).doesNotContainKey("node-b");
        assertThat(vip.getStatus().resolved.probes).containsExactly(ProbeType.ICMP);
        assertThat(vip.getStatus().unread).extracting(UnreadValue::field).containsExactlyInAnyOrder(
                "status.phase", "status.nodes.node-a.state", "status.nodes.node-b", "status.resolved.holdLimit");
    }

    @Test
    void aCopyMadeBySerializingCarriesTheSetAsideValuesAsJosdkClonesDo() {
        VirtualIP vip = serialization.unmarshal(FROM_THE_FUTURE, VirtualIP.class);
        VirtualIP copy = serialization.clone(vip);
        assertThat(copy.getSpec().unread).isEqualTo(vip.getSpec().unread);
        assertThat(copy.getStatus().unread).isEqualTo(vip.getStatus().unread);
        assertThat(serialization.asJson(copy)).isEqualTo(serialization.asJson(vip)).contains("\"vhid\":\"five\"", "\"newKnob\":5");
    }

    @Test
    void aFieldSetSinceReadingWinsOverTheSetAsideValue() {
        VirtualIP vip = serialization.unmarshal(FROM_THE_FUTURE, VirtualIP.class);
        vip.getSpec().vhid = 5;
        assertThat(serialization.asJson(vip)).contains("\"vhid\":5").doesNotContain("five");
    }

    @Test
    void aReadableObjectSerializesAsBefore() {
        VirtualIP vip = new VirtualIP();
        vip.getMetadata().setName("plain");
        vip.getSpec().address = "198.51.100.10/24";
        vip.getSpec().isolation = new IsolationSpec();
        vip.getSpec().isolation.probes = java.util.List.of(ProbeType.ARP);
        String json = serialization.asJson(vip);
        VirtualIP back = serialization.unmarshal(json, VirtualIP.class);
        assertThat(back.getSpec().unread).isEmpty();
        assertThat(back.getStatus().unread).isEmpty();
        assertThat(back.getSpec().isolation.probes).containsExactly(ProbeType.ARP);
        assertThat(serialization.asJson(back)).isEqualTo(json);
    }

    @Test
    void aBlockOfTheWrongShapeIsUnreadableAsAWhole() {
        VirtualIP vip = serialization.unmarshal("""
                {"apiVersion": "carp-operator.io/v1alpha1", "kind": "VirtualIP", "metadata": {"name": "x"},
                 "spec": ["198.51.100.10/24"], "someday": true}""", VirtualIP.class);
        assertThat(vip.getSpec().address).isNull();
        assertThat(vip.getSpec().unread).singleElement().hasToString("spec: [\"198.51.100.10/24\"] is not an object");
        assertThat(serialization.asJson(vip)).contains("\"spec\":[\"198.51.100.10/24\"]");
    }

    @Test
    void typesAreStrictLikeTheSchema() {
        VirtualIP vip = serialization.unmarshal("""
                {"apiVersion": "carp-operator.io/v1alpha1", "kind": "VirtualIP", "metadata": {"name": "x"},
                 "spec": {"address": 10, "vhid": 5.5, "interface": true, "preferredNodes": "node-a",
                          "advertisement": {"skew": "3"}, "isolation": {"probes": [0], "hosts": {"a": 1}}}}""", VirtualIP.class);
        assertThat(vip.getSpec().unread).extracting(UnreadValue::toString).containsExactlyInAnyOrder(
                "spec.address: 10 is not a string",
                "spec.vhid: 5.5 is not an integer",
                "spec.interface: true is not a string",
                "spec.preferredNodes: \"node-a\" is not a list",
                "spec.advertisement.skew: \"3\" is not an integer",
                "spec.isolation.probes[0]: unsupported value 0: supported values: \"ICMP\", \"ARP\"",
                "spec.isolation.hosts: {\"a\":1} is not a list");
    }
}
