package io.carpoperator.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The operator's own configuration (application.properties, or CARP_* environment variables in the Deployment). */
@ConfigMapping(prefix = "carp")
public interface OperatorSettings {

    /** Namespace of the operator and of the users' password Secrets. */
    @WithDefault("carp-system")
    String namespace();

    Agent agent();

    Status status();

    Deletion deletion();

    interface Agent {
        /**
         * The agents' namespace: their DaemonSet, and the only place they read from — the operator-owned ConfigMap and
         * password copy per VirtualIP. Nothing else lives there.
         */
        @WithDefault("carp-agents")
        String namespace();
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
