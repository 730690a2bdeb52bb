package io.carpoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.agent.AgentRuntime;
import io.carpoperator.agent.ClusterAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standalone agent's systemd unit stops it the way its handover needs and gives it the time its budget asks for. */
class SystemdUnitTest {

    static final Path UNIT = Path.of("deploy/systemd/carp-agent.service");
    static final Path ENV = Path.of("deploy/systemd/agent.env.example");

    @Test
    void sigtermGoesToTheAgentAloneAndTheStopTimeoutCoversItsShutdownBudget() throws IOException {
        Map<String, String> service = keys(Files.readString(UNIT));
        assertThat(service).containsEntry("KillMode", "mixed").containsEntry("KillSignal", "SIGTERM")
                .containsEntry("Restart", "on-failure").containsEntry("SuccessExitStatus", "143")
                .containsEntry("RuntimeDirectory", "carp-operator").containsEntry("RuntimeDirectoryPreserve", "yes");
        Duration stopTimeout = Duration.ofSeconds(Long.parseLong(service.get("TimeoutStopSec")));
        assertThat(stopTimeout).as("TimeoutStopSec above the shutdown budget, with room for the kill")
                .isGreaterThanOrEqualTo(ClusterAgent.SHUTDOWN_BUDGET.plusSeconds(3));
        assertThat(service.get("ExecStart")).contains("agent --standalone $CARP_AGENT_ARGS").contains("exec ");
    }

    @Test
    void theExampleEnvironmentUsesTheAgentsJvmFlagsAndAPassfile() throws IOException {
        Map<String, String> env = keys(Files.readString(ENV));
        assertThat(env.get("JAVA_OPTS")).isEqualTo(AgentRuntime.JVM_OPTIONS);
        assertThat(env.get("CARP_AGENT_ARGS")).contains(" -o ").doesNotContain(" -p ").doesNotContain("--pass ");
    }

    private static Map<String, String> keys(String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                keys.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return keys;
    }
}
