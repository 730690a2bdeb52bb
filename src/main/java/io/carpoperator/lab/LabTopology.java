package io.carpoperator.lab;

import java.util.regex.Pattern;

/**
 * The address and name plan of a lab: pure functions, so the plan is tested without root.
 *
 * <p>VIP network 198.51.100.0/24 (gateway .1, nodes .11.., client .100), heartbeat and
 * management network 203.0.113.0/24 inside the lab (nodes .11..), of which the root namespace (.1) routes only
 * 203.0.113.0/27. Both are documentation ranges, so a mistake can never reach a real host.
 */
public final class LabTopology {

    public static final int PREFIX_LENGTH = 24;
    public static final String VIP_NETWORK = "198.51.100.0/24";
    public static final String HEARTBEAT_NETWORK = "203.0.113.0/24";
    public static final String GATEWAY_ADDRESS = "198.51.100.1";
    public static final String CLIENT_ADDRESS = "198.51.100.100";
    public static final String MANAGEMENT_ADDRESS = "203.0.113.1";
    /**
     * The prefix of the root namespace's management address: 203.0.113.0/27 reaches every node's heartbeat address
     * (.11 to .30) and nothing else. Not /24: on the machines this runs on, package registries resolve inside
     * 203.0.113.0/24 (Maven Central at .80), and a lab must never take the route to them away from the host.
     */
    public static final int ROOT_MANAGEMENT_PREFIX_LENGTH = 27;
    /** Free for a floating IP in tests: below the nodes, above the gateway. */
    public static final String SUGGESTED_VIP = "198.51.100.10";

    public static final String VIP_BRIDGE = "br-vip";
    public static final String HEARTBEAT_BRIDGE = "br-hb";
    public static final String VIP_INTERFACE = "eth0";
    public static final String HEARTBEAT_INTERFACE = "hb0";
    public static final String SWITCH_MANAGEMENT_PORT = "mgmt0";

    public static final String NAME_PREFIX = "carplab-";
    /** Node addresses run from .11 and must stay below the client's .100. */
    public static final int MAX_NODES = 20;

    private static final Pattern RUN_PREFIX = Pattern.compile("carplab-[0-9a-f]{6}");

    private LabTopology() {
    }

    public static boolean isRunPrefix(String candidate) {
        return RUN_PREFIX.matcher(candidate).matches();
    }

    public static String nodeName(int index) {
        return "node" + checkIndex(index);
    }

    public static String nodeAddress(int index) {
        return "198.51.100." + (10 + checkIndex(index));
    }

    public static String heartbeatAddress(int index) {
        return "203.0.113." + (10 + checkIndex(index));
    }

    public static String namespace(String runPrefix, String hostName) {
        return runPrefix + "-" + hostName;
    }

    public static String switchNamespace(String runPrefix) {
        return namespace(runPrefix, "sw");
    }

    /** The run prefix is exactly 14 characters, so it fits IFNAMSIZ as the root-side management veth. */
    public static String rootManagementInterface(String runPrefix) {
        return runPrefix;
    }

    /** Switch-side port names stay short: Linux interface names are at most 15 characters. */
    public static String vipPort(String hostName) {
        return hostName + "-v";
    }

    public static String heartbeatPort(String hostName) {
        return hostName + "-h";
    }

    private static int checkIndex(int index) {
        if (index < 1 || index > MAX_NODES) {
            throw new IllegalArgumentException("node index must be 1.." + MAX_NODES + ", was " + index);
        }
        return index;
    }
}
