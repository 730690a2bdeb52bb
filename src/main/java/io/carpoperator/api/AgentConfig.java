package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The agents' whole input for one VirtualIP, written only by the operator into a ConfigMap of the agents' namespace
 * (agents may only read it): the last valid resolved configuration, and the addresses of the selected nodes that the
 * agents probe as peers (the node's address on the VIP network, as its agent reported it and the operator checked)
 * and heartbeats (the Node object's InternalIP). Unknown fields are ignored, so an older agent reads a newer operator's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AgentConfig {
    /** The ConfigMap key holding this object as JSON. */
    public static final String DATA_KEY = "config.json";
    /** The password copy's Secret key. */
    public static final String PASSWORD_KEY = "password";
    /** Label on the operator-owned ConfigMaps and Secrets of the agents' namespace, valued with the VirtualIP's name. */
    public static final String VIP_LABEL = VirtualIP.GROUP + "/virtualip";

    public String virtualIP;
    public ResolvedConfig resolved;
    public Map<String, NodeAddresses> nodes = new TreeMap<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class NodeAddresses {
        public String address;
        public String heartbeatAddress;

        public NodeAddresses() {
        }

        public NodeAddresses(String address, String heartbeatAddress) {
            this.address = address;
            this.heartbeatAddress = heartbeatAddress;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NodeAddresses other && Objects.equals(address, other.address)
                    && Objects.equals(heartbeatAddress, other.heartbeatAddress);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, heartbeatAddress);
        }
    }
}
