package io.carpoperator.agent;

import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.dataplane.NodeStateJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node agent's own configuration, from the environment the agent DaemonSet sets (operator/AgentManifests).
 *
 * @param nodeName    this node (NODE_NAME); the name of its NodeReport
 * @param nodeIp      this node's address on the node network (NODE_IP); other agents probe it as our heartbeat, or null
 * @param namespace   the agents' namespace, where the operator publishes their configuration (CARP_NAMESPACE)
 * @param runDir      where the data plane keeps passfiles and hook scripts (CARP_AGENT_RUN_DIR)
 * @param healthPort  port of /healthz, /readyz and /metrics (CARP_AGENT_HEALTH_PORT)
 * @param staleness   the operator's staleness bound (CARP_STATUS_STALENESS); we refresh our entries at a third of it
 * @param stateDir    the node-state journal, on the host so it outlives the pod (CARP_AGENT_STATE_DIR)
 * @param apiGrace    how long to wait at start for the API server before serving the recorded VIPs (CARP_AGENT_API_GRACE)
 */
public record AgentSettings(String nodeName, String nodeIp, String namespace, Path runDir, int healthPort, Duration staleness,
                            Path stateDir, Duration apiGrace) {
    public static final String NODE_NAME = "NODE_NAME";
    public static final String NODE_IP = "NODE_IP";
    public static final String NAMESPACE = "CARP_NAMESPACE";
    public static final String RUN_DIR = "CARP_AGENT_RUN_DIR";
    public static final String HEALTH_PORT = "CARP_AGENT_HEALTH_PORT";
    public static final String STALENESS = "CARP_STATUS_STALENESS";
    public static final String STATE_DIR = "CARP_AGENT_STATE_DIR";
    public static final String API_GRACE = "CARP_AGENT_API_GRACE";

    public static final String DEFAULT_NAMESPACE = "carp-agents";
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/carp");
    public static final int DEFAULT_HEALTH_PORT = 9450;
    public static final Duration DEFAULT_STALENESS = Duration.ofSeconds(30);
    public static final Path DEFAULT_STATE_DIR = NodeStateJournal.DEFAULT_DIRECTORY;
    /** Long enough for a reachable API server to list two small collections, short enough that an outage costs little. */
    public static final Duration DEFAULT_API_GRACE = Duration.ofSeconds(5);
    /** Below this the refresh (a third) would hammer the API server for no gain. */
    static final Duration MIN_STALENESS = Duration.ofSeconds(3);

    private static final Pattern SIMPLE_DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)?$");

    public AgentSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(staleness, "staleness");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(apiGrace, "apiGrace");
    }

    /** The default state directory and API grace. */
    public AgentSettings(String nodeName, String nodeIp, String namespace, Path runDir, int healthPort, Duration staleness) {
        this(nodeName, nodeIp, namespace, runDir, healthPort, staleness, DEFAULT_STATE_DIR, DEFAULT_API_GRACE);
    }

    /** How often our entries are rewritten even when nothing changed, so the operator never sees them go stale. */
    public Duration refreshInterval() {
        return staleness.dividedBy(3);
    }

    public static AgentSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** @throws IllegalArgumentException naming the variable and its value when one is missing or malformed */
    public static AgentSettings fromEnvironment(Map<String, String> env) {
        String nodeName = trimmed(env.get(NODE_NAME));
        if (nodeName == null) {
            throw new IllegalArgumentException(NODE_NAME + " is not set; the agent needs its node's name (in the DaemonSet: "
                    + "valueFrom.fieldRef.fieldPath=spec.nodeName)");
        }
        String nodeIp = trimmed(env.get(NODE_IP));
        if (nodeIp != null) {
            Ipv4Cidr.addressProblem(nodeIp).ifPresent(problem -> {
                throw new IllegalArgumentException(NODE_IP + "='" + nodeIp + "' is not an IPv4 address: " + problem);
            });
        }
        String namespace = orDefault(trimmed(env.get(NAMESPACE)), DEFAULT_NAMESPACE);
        String runDirText = trimmed(env.get(RUN_DIR));
        Path runDir = runDirText == null ? DEFAULT_RUN_DIR : Path.of(runDirText);
        int healthPort = port(env.get(HEALTH_PORT));
        String stalenessText = trimmed(env.get(STALENESS));
        Duration staleness = stalenessText == null ? DEFAULT_STALENESS : duration(STALENESS, stalenessText);
        if (staleness.compareTo(MIN_STALENESS) < 0) {
            throw new IllegalArgumentException(STALENESS + "='" + stalenessText + "' is below the minimum of " + MIN_STALENESS.toSeconds() + "s");
        }
        String stateDirText = trimmed(env.get(STATE_DIR));
        Path stateDir = stateDirText == null ? DEFAULT_STATE_DIR : Path.of(stateDirText);
        if (!stateDir.isAbsolute()) {
            throw new IllegalArgumentException(STATE_DIR + "='" + stateDirText + "' is not an absolute path");
        }
        String graceText = trimmed(env.get(API_GRACE));
        Duration apiGrace = graceText == null ? DEFAULT_API_GRACE : duration(API_GRACE, graceText);
        return new AgentSettings(nodeName, nodeIp, namespace, runDir, healthPort, staleness, stateDir, apiGrace);
    }

    private static int port(String text) {
        String value = trimmed(text);
        if (value == null) {
            return DEFAULT_HEALTH_PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(HEALTH_PORT + "='" + value + "' is not a port number (1-65535)");
    }

    /** Accepts what the operator writes (Duration#toString, e.g. PT30S) and the short forms 30s, 500ms, 1m. */
    static Duration duration(String variable, String text) {
        Matcher simple = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "s" : simple.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(variable + "='" + text + "' is not a duration; expected e.g. 30s, 500ms or PT30S");
        }
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
