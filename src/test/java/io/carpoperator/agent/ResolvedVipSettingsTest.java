package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import static io.carpoperator.agent.AgentFixtures.NAMESPACE;
import static io.carpoperator.agent.AgentFixtures.NODE;
import static io.carpoperator.agent.AgentFixtures.resolved;
import static io.carpoperator.agent.AgentFixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.api.ProbeType;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.watchdog.ProbeKind;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResolvedVipSettingsTest {

    @Test
    void buildsEverySettingFromTheResolvedBlockTheNodeEntryAndThePassword() {
        ResolvedConfig resolved = resolved("198.51.100.10/24", 7, "node-b", NODE);
        resolved.interfaceName = "eth1";
        resolved.preempt = true;
        resolved.advertisementIntervalSeconds = 2;
        resolved.isolationHosts = List.of("198.51.100.1");
        resolved.probeIntervalMillis = 250;
        resolved.holdLimit = 3;
        resolved.recoverAfter = 4;
        resolved.probes = List.of(ProbeType.ICMP);
        resolved.gratuitousArpIntervalSeconds = 0;

        VipSettings settings = ResolvedVipSettings.build("web", NODE, resolved, "s3cret", List.of("198.51.100.12"), List.of("203.0.113.12"));

        assertThat(settings).isEqualTo(new VipSettings("web", "198.51.100.10", 24, "eth1", null, 7, true, 2, 1, "s3cret", true,
                List.of("198.51.100.12"), List.of("203.0.113.12"), List.of("198.51.100.1"), Set.of(ProbeKind.ICMP),
                Duration.ofMillis(250), 3, 4, Duration.ZERO));
    }

    @Test
    void anEmptyInterfaceMeansTheAgentPicksItAndNoProbesMeansBoth() {
        ResolvedConfig resolved = resolved("198.51.100.10/24", 1, NODE);
        resolved.interfaceName = "";
        resolved.probes = null;
        VipSettings settings = ResolvedVipSettings.build("web", NODE, resolved, "pw", List.of(), List.of());
        assertThat(settings.interfaceName()).isNull();
        assertThat(settings.probes()).containsExactlyInAnyOrder(ProbeKind.ICMP, ProbeKind.ARP);
    }

    @Test
    void anInvalidResolvedBlockIsRejectedNamingTheFieldAndValue() {
        ResolvedConfig badAddress = resolved("198.51.100.10", 1, NODE);
        assertThatThrownBy(() -> ResolvedVipSettings.build("web", NODE, badAddress, "pw", List.of(), List.of()))
                .hasMessageContaining("status.resolved.address: '198.51.100.10' has no prefix length");
        ResolvedConfig badVhid = resolved("198.51.100.10/24", 256, NODE);
        assertThatThrownBy(() -> ResolvedVipSettings.build("web", NODE, badVhid, "pw", List.of(), List.of()))
                .hasMessage("status.resolved.vhid: 256 is outside 1-255");
        ResolvedConfig noHold = resolved("198.51.100.10/24", 1, NODE);
        noHold.holdLimit = null;
        assertThatThrownBy(() -> ResolvedVipSettings.build("web", NODE, noHold, "pw", List.of(), List.of()))
                .hasMessage("status.resolved.holdLimit is missing");
        ResolvedConfig badHost = resolved("198.51.100.10/24", 1, NODE);
        badHost.isolationHosts = List.of("gw.example");
        assertThatThrownBy(() -> ResolvedVipSettings.build("web", NODE, badHost, "pw", List.of(), List.of()))
                .hasMessage("status.resolved.isolationHosts: 'gw.example' is not an IPv4 address: it is not four numbers separated by dots");
        ResolvedConfig notUs = resolved("198.51.100.10/24", 1, "node-b");
        assertThatThrownBy(() -> ResolvedVipSettings.build("web", NODE, notUs, "pw", List.of(), List.of()))
                .hasMessage("status.resolved.nodes does not list node node-a");
    }

    @Test
    void readsThePasswordFromDataOrStringData() {
        SecretKeyRef ref = new SecretKeyRef("carp-password", "password");
        assertThat(ResolvedVipSettings.password(ref, NAMESPACE, secret("carp-password", "password", "s3cret"))).isEqualTo("s3cret");
        var stringData = new SecretBuilder().withNewMetadata().withName("carp-password").endMetadata()
                .withStringData(Map.of("password", "plain")).build();
        assertThat(ResolvedVipSettings.password(ref, NAMESPACE, stringData)).isEqualTo("plain");
    }

    @Test
    void anUnreadablePasswordSaysWhichSecretAndKeyAndWhy() {
        SecretKeyRef ref = new SecretKeyRef("carp-password", "password");
        assertThatThrownBy(() -> ResolvedVipSettings.password(ref, NAMESPACE, null))
                .hasMessage("Secret 'carp-password' not found in namespace carp-agents");
        assertThatThrownBy(() -> ResolvedVipSettings.password(ref, NAMESPACE, secret("carp-password", "other", "x")))
                .hasMessage("Secret 'carp-password' has no key 'password'");
        assertThatThrownBy(() -> ResolvedVipSettings.password(ref, NAMESPACE, secret("carp-password", "password", "12345678901234567890")))
                .hasMessage("Secret 'carp-password' key 'password': the password is 20 bytes; CARP allows at most 19");
        var notBase64 = new SecretBuilder().withNewMetadata().withName("carp-password").endMetadata()
                .withData(Map.of("password", "***")).build();
        assertThatThrownBy(() -> ResolvedVipSettings.password(ref, NAMESPACE, notBase64))
                .hasMessage("Secret 'carp-password' key 'password' is not valid base64");
        assertThatThrownBy(() -> ResolvedVipSettings.password(null, NAMESPACE, null))
                .hasMessage("status.resolved.passwordSecretRef is missing");
    }
}
