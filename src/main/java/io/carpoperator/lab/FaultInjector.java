package io.carpoperator.lab;

import java.util.List;

import org.jboss.logging.Logger;

/** Reversible network and process faults for one lab; every fault is undone by its pair. */
public final class FaultInjector {

    private static final Logger LOG = Logger.getLogger(FaultInjector.class);
    private static final String PORT_DISABLED = "0";
    private static final String PORT_FORWARDING = "3";

    private final String switchNamespace;
    private final LabHost gateway;

    FaultInjector(String switchNamespace, LabHost gateway) {
        this.switchNamespace = switchNamespace;
        this.gateway = gateway;
    }

    /** SIGKILL: the process gets no chance to run a down script, exactly like a crash. */
    public void killHard(Process process) {
        killHard(process.pid());
    }

    public void killHard(long pid) {
        LOG.infof("Fault: kill -9 %d", pid);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The node's VIP interface goes down inside the node: carrier lost, as when a cable is pulled. */
    public void linkDown(LabNode node) {
        LOG.infof("Fault: link down on %s %s", node.name(), node.vipInterface());
        node.run(List.of("ip", "link", "set", node.vipInterface(), "down")).orThrow();
    }

    public void linkUp(LabNode node) {
        LOG.infof("Fault cleared: link up on %s %s", node.name(), node.vipInterface());
        node.run(List.of("ip", "link", "set", node.vipInterface(), "up")).orThrow();
        // the kernel flushed the default route with the link; without it the node has no isolation host
        node.run(List.of("ip", "route", "replace", "default", "via", gateway.address(), "dev", node.vipInterface())).orThrow();
    }

    /**
     * The switch drops every frame to and from the node on the VIP network while the node keeps its
     * carrier: the seed's "link but no layer 2" case, invisible to the node's own link state.
     */
    public void isolate(LabHost host) {
        LOG.infof("Fault: %s isolated on the VIP network (switch port %s disabled, carrier kept)", host.name(), host.vipPort());
        setPortState(host.vipPort(), PORT_DISABLED);
    }

    public void heal(LabHost host) {
        LOG.infof("Fault cleared: %s rejoins the VIP network", host.name());
        setPortState(host.vipPort(), PORT_FORWARDING);
    }

    /**
     * The nodes stop hearing each other on the VIP network while each still reaches the gateway and the client (the
     * switch ports become "isolated" bridge ports, which forward only to ports that are not): a split of the L2 segment,
     * in which each side elects its own CARP master. Their heartbeat network is untouched.
     */
    public void partition(List<LabNode> nodes) {
        LOG.infof("Fault: %s partitioned from each other on the VIP network", names(nodes));
        for (LabNode node : nodes) {
            setPortIsolated(node.vipPort(), true);
        }
    }

    public void endPartition(List<LabNode> nodes) {
        LOG.infof("Fault cleared: %s hear each other again on the VIP network", names(nodes));
        for (LabNode node : nodes) {
            setPortIsolated(node.vipPort(), false);
        }
    }

    private static String names(List<LabNode> nodes) {
        return String.join(", ", nodes.stream().map(LabNode::name).toList());
    }

    private void setPortIsolated(String port, boolean isolated) {
        NetnsCommands.runChecked(List.of("bridge", "-n", switchNamespace, "link", "set", "dev", port, "isolated",
                isolated ? "on" : "off"));
    }

    /** Same as {@link #isolate} on the heartbeat/management bridge: the node loses its second path and the API. */
    public void cutHeartbeat(LabNode node) {
        LOG.infof("Fault: heartbeat network cut for %s (switch port %s disabled)", node.name(), node.heartbeatPort());
        setPortState(node.heartbeatPort(), PORT_DISABLED);
    }

    public void restoreHeartbeat(LabNode node) {
        LOG.infof("Fault cleared: heartbeat network restored for %s", node.name());
        setPortState(node.heartbeatPort(), PORT_FORWARDING);
    }

    /** The isolation host stops answering: its interface goes down. */
    public void gatewayDown() {
        LOG.infof("Fault: gateway %s down", gateway.address());
        gateway.run(List.of("ip", "link", "set", gateway.vipInterface(), "down")).orThrow();
    }

    public void gatewayUp() {
        LOG.infof("Fault cleared: gateway %s up", gateway.address());
        gateway.run(List.of("ip", "link", "set", gateway.vipInterface(), "up")).orThrow();
    }

    private void setPortState(String port, String state) {
        NetnsCommands.runChecked(List.of("bridge", "-n", switchNamespace, "link", "set", "dev", port, "state", state));
    }
}
