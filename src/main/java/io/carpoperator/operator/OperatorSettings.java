package io.carpoperator.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The operator's own configuration (application.properties, or CARP_* environment variables in the Deployment). */
@ConfigMapping(prefix = "carp")
public interface OperatorSettings {

    /** Namespace of the operator, the agents and the password Secrets. */
    @WithDefault("carp-system")
    String namespace();

    Agent agent();

    Status status();

    Deletion deletion();

    interface Agent {
        @WithDefault("carp-operator:0.1.0")
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** Run agents fully privileged instead of with NET_ADMIN and NET_RAW only, for platforms that require it. */
        @WithDefault("false")
        boolean privileged();

        /** Restricts the agent DaemonSet to nodes with these labels (in addition to each VirtualIP's own selector). */
        Map<String, String> nodeSelector();

        /** Tolerations of the agent pods as a JSON list; the default tolerates every taint so control-plane nodes can hold VIPs. */
        @WithDefault("[{\"operator\":\"Exists\"}]")
        String tolerations();

        /** Port of the agents' /healthz, /readyz and /metrics on the host network. */
        @WithDefault("9450")
        int healthPort();

        @WithDefault("64Mi")
        String memoryRequest();

        @WithDefault("160Mi")
        String memoryLimit();

        @WithDefault("20m")
        String cpuRequest();
    }

    interface Status {
        /** A node entry older than this counts as not reporting (Degraded). Agents refresh theirs at a third of it. */
        @WithDefault("30s")
        Duration staleness();

        /** How often a VirtualIP is re-examined when nothing changes, to notice entries going stale. */
        @WithDefault("10s")
        Duration resync();
    }

    interface Deletion {
        /** How long a deleted VirtualIP waits for the agents to confirm they released the address. */
        @WithDefault("30s")
        Duration releaseTimeout();
    }
}
