package io.carpoperator.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The ip/bridge commands that wire a lab together, in order. */
final class LabBuilderSteps {

    private static final String PREFIX = "/" + LabTopology.PREFIX_LENGTH;

    private final Lab lab;
    private final String sw;

    LabBuilderSteps(Lab lab) {
        this.lab = lab;
        this.sw = lab.switchNamespace();
    }

    void createAll() {
        List<String> namespaces = new ArrayList<>(List.of(sw, lab.gateway().namespace(), lab.client().namespace()));
        lab.nodes().forEach(node -> namespaces.add(node.namespace()));
        namespaces.forEach(this::createNamespace);

        createBridge(LabTopology.VIP_BRIDGE);
        createBridge(LabTopology.HEARTBEAT_BRIDGE);

        attachToVipNetwork(lab.gateway());
        attachToVipNetwork(lab.client());
        for (LabNode node : lab.nodes()) {
            attachToVipNetwork(node);
            attachToHeartbeatNetwork(node);
            inNs(node.namespace(), "ip", "route", "add", "default", "via", LabTopology.GATEWAY_ADDRESS,
                    "dev", node.vipInterface());
        }
        attachRootToManagementNetwork();
    }

    private void createNamespace(String namespace) {
        NetnsCommands.runChecked(List.of("ip", "netns", "add", namespace));
        // no IPv6 chatter: the lab speaks only the two documentation IPv4 ranges
        NetnsCommands.run(NetnsCommands.inNamespace(namespace, List.of("sysctl", "-q", "-w",
                "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")));
        inNs(namespace, "ip", "link", "set", "lo", "up");
    }

    private void createBridge(String bridge) {
        // snooping off: CARP adverts to 224.0.0.18 must flood to every port without IGMP joins
        inNs(sw, "ip", "link", "add", bridge, "type", "bridge", "mcast_snooping", "0", "stp_state", "0");
        inNs(sw, "ip", "link", "set", bridge, "up");
    }

    private void attachToVipNetwork(LabHost host) {
        connect(host.namespace(), host.vipInterface(), host.vipPort(), LabTopology.VIP_BRIDGE, host.address());
    }

    private void attachToHeartbeatNetwork(LabNode node) {
        connect(node.namespace(), node.heartbeatInterface(), node.heartbeatPort(), LabTopology.HEARTBEAT_BRIDGE,
                node.heartbeatAddress());
    }

    /** A veth created directly with one end in each namespace: it never appears in the root namespace. */
    private void connect(String namespace, String inside, String port, String bridge, String address) {
        NetnsCommands.runChecked(List.of("ip", "link", "add", "name", inside, "netns", namespace,
                "type", "veth", "peer", "name", port, "netns", sw));
        inNs(sw, "ip", "link", "set", port, "master", bridge, "up");
        inNs(namespace, "ip", "addr", "add", address + PREFIX, "dev", inside);
        inNs(namespace, "ip", "link", "set", inside, "up");
    }

    private void attachRootToManagementNetwork() {
        String rootSide = LabTopology.rootManagementInterface(lab.runPrefix());
        NetnsCommands.runChecked(List.of("ip", "link", "add", "name", rootSide,
                "type", "veth", "peer", "name", LabTopology.SWITCH_MANAGEMENT_PORT, "netns", sw));
        disableIpv6InRoot(rootSide);
        inNs(sw, "ip", "link", "set", LabTopology.SWITCH_MANAGEMENT_PORT, "master", LabTopology.HEARTBEAT_BRIDGE, "up");
        NetnsCommands.runChecked(List.of("ip", "addr", "add",
                LabTopology.MANAGEMENT_ADDRESS + "/" + LabTopology.ROOT_MANAGEMENT_PREFIX_LENGTH, "dev", rootSide));
        NetnsCommands.runChecked(List.of("ip", "link", "set", rootSide, "up"));
    }

    private static void disableIpv6InRoot(String iface) {
        Path knob = Path.of("/proc/sys/net/ipv6/conf", iface, "disable_ipv6");
        if (Files.exists(knob)) {
            try {
                Files.writeString(knob, "1\n");
            } catch (IOException e) {
                throw new LabException("cannot disable IPv6 on " + iface + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs an {@code ip} command against a namespace with {@code ip -n}: one process instead of two. */
    private static void inNs(String namespace, String... ipArgv) {
        List<String> full = new ArrayList<>(List.of("ip", "-n", namespace));
        full.addAll(List.of(ipArgv).subList(1, ipArgv.length));
        NetnsCommands.runChecked(full);
    }
}
