package io.carpoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    @Test
    void readsWhatTheAgentDaemonSetSets() {
        AgentSettings settings = AgentSettings.fromEnvironment(Map.of(
                "NODE_NAME", "node-a", "NODE_IP", "203.0.113.1", "CARP_NAMESPACE", "carp",
                "CARP_AGENT_HEALTH_PORT", "9999", "CARP_AGENT_RUN_DIR", "/run/x", "CARP_STATUS_STALENESS", "PT30S"));
        assertThat(settings).isEqualTo(new AgentSettings("node-a", "203.0.113.1", "carp", Path.of("/run/x"), 9999, Duration.ofSeconds(30)));
        assertThat(settings.refreshInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void onlyTheNodeNameIsRequired() {
        AgentSettings settings = AgentSettings.fromEnvironment(Map.of("NODE_NAME", "node-a"));
        assertThat(settings.nodeIp()).isNull();
        assertThat(settings.namespace()).isEqualTo("carp-agents");
        assertThat(settings.runDir()).isEqualTo(Path.of("/run/carp"));
        assertThat(settings.healthPort()).isEqualTo(9450);
        assertThat(settings.staleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.stateDir()).isEqualTo(Path.of("/run/carp-operator"));
        assertThat(settings.apiGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsTheStateDirectoryAndTheApiGrace() {
        AgentSettings settings = AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_AGENT_STATE_DIR", "/var/run/carp-x",
                "CARP_AGENT_API_GRACE", "2s"));
        assertThat(settings.stateDir()).isEqualTo(Path.of("/var/run/carp-x"));
        assertThat(settings.apiGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_AGENT_STATE_DIR", "state")))
                .hasMessage("CARP_AGENT_STATE_DIR='state' is not an absolute path");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_AGENT_API_GRACE", "later")))
                .hasMessage("CARP_AGENT_API_GRACE='later' is not a duration; expected e.g. 30s, 500ms or PT30S");
    }

    @Test
    void acceptsShortDurations() {
        assertThat(AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_STATUS_STALENESS", "6s")).refreshInterval())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_STATUS_STALENESS", "4500ms")).staleness())
                .isEqualTo(Duration.ofMillis(4500));
    }

    @Test
    void missingOrMalformedInputIsAClearErrorNamingTheVariable() {
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of()))
                .hasMessageStartingWith("NODE_NAME is not set");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", " ")))
                .hasMessageStartingWith("NODE_NAME is not set");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "NODE_IP", "node-a.local")))
                .hasMessage("NODE_IP='node-a.local' is not an IPv4 address: it is not four numbers separated by dots");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_AGENT_HEALTH_PORT", "70000")))
                .hasMessage("CARP_AGENT_HEALTH_PORT='70000' is not a port number (1-65535)");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_STATUS_STALENESS", "soon")))
                .hasMessage("CARP_STATUS_STALENESS='soon' is not a duration; expected e.g. 30s, 500ms or PT30S");
        assertThatThrownBy(() -> AgentSettings.fromEnvironment(Map.of("NODE_NAME", "n", "CARP_STATUS_STALENESS", "1s")))
                .hasMessage("CARP_STATUS_STALENESS='1s' is below the minimum of 3s");
    }
}
