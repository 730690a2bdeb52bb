package io.carpoperator.lab;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** One network namespace of the lab with its address on the VIP network: a node, the gateway or the client. */
public class LabHost {

    private final String name;
    private final String namespace;
    private final String address;
    private final String vipPort;
    private final TrackedProcesses processes;

    LabHost(String name, String namespace, String address, String vipPort, TrackedProcesses processes) {
        this.name = name;
        this.namespace = namespace;
        this.address = address;
        this.vipPort = vipPort;
        this.processes = processes;
    }

    /** Short name, e.g. {@code node1}, {@code gateway}. */
    public String name() {
        return name;
    }

    /** Full network namespace name, e.g. {@code carplab-1a2b3c-node1}. */
    public String namespace() {
        return namespace;
    }

    /** Interface on the VIP network inside the namespace. */
    public String vipInterface() {
        return LabTopology.VIP_INTERFACE;
    }

    /** Own address on the VIP network, without prefix length. */
    public String address() {
        return address;
    }

    /** Name of this host's port on {@code br-vip} in the switch namespace. */
    String vipPort() {
        return vipPort;
    }

    /** A process builder for {@code argv} inside this namespace; start it with {@link #start(ProcessBuilder)}. */
    public ProcessBuilder command(List<String> argv) {
        return new ProcessBuilder(NetnsCommands.inNamespace(namespace, argv));
    }

    /** Starts a builder from {@link #command(List)} and tracks the process so closing the lab kills it. */
    public Process start(ProcessBuilder builder) {
        return processes.start(builder);
    }

    /** Starts {@code argv} in this namespace with stderr merged into stdout; the caller must read or discard stdout. */
    public Process exec(List<String> argv) {
        return start(command(argv).redirectErrorStream(true));
    }

    public CommandResult run(List<String> argv) {
        return run(argv, NetnsCommands.DEFAULT_TIMEOUT);
    }

    public CommandResult run(List<String> argv, Duration timeout) {
        return NetnsCommands.run(NetnsCommands.inNamespace(namespace, argv), timeout);
    }

    /** True when {@code ip} is configured on the VIP interface, e.g. a floating IP held by this host. */
    public boolean hasAddress(String ip) {
        String output = run(List.of("ip", "-o", "-4", "addr", "show", "dev", vipInterface())).orThrow().output();
        return Pattern.compile("\\binet " + Pattern.quote(ip) + "/").matcher(output).find();
    }

    /** True when the VIP interface has carrier ({@code /sys/class/net/eth0/carrier} is 1). */
    public boolean hasCarrier() {
        CommandResult result = run(List.of("cat", "/sys/class/net/" + vipInterface() + "/carrier"));
        return result.succeeded() && result.output().strip().equals("1");
    }

    /** One ICMP echo with a deadline; true when a reply came back. */
    public boolean ping(String target, Duration deadline) {
        long seconds = Math.max(1, (deadline.toMillis() + 999) / 1000);
        return run(List.of("ping", "-n", "-q", "-c", "1", "-w", Long.toString(seconds), target),
                deadline.plusSeconds(2)).succeeded();
    }

    @Override
    public String toString() {
        return name + "(" + namespace + ", " + address + ")";
    }
}
