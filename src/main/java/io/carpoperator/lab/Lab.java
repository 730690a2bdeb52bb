package io.carpoperator.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

/**
 * A CARP lab on one machine: nodes, a gateway and a client in network namespaces, joined by two
 * bridges that live in their own switch namespace so the host's network is never touched (apart
 * from one management veth carrying 203.0.113.1, where an in-process API server can listen).
 *
 * <pre>
 *   switch ns:  br-vip 198.51.100.0/24          br-hb 203.0.113.0/24 (the root namespace routes only .0/27)
 *                 |  gateway .1 (isolation host)   |  root ns .1 (management veth)
 *                 |  nodeN eth0 .1N                |  nodeN hb0 .1N
 *                 |  client .100                   |
 * </pre>
 *
 * Everything is removed by {@link #close()}, by a JVM shutdown hook, or by the next run's
 * {@link #removeStale()} when the owning JVM died.
 */
public final class Lab implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Lab.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String runPrefix;
    private final Path markerDirectory;
    private final RunMarker marker;
    private final TrackedProcesses processes = new TrackedProcesses();
    private final List<LabNode> nodes = new ArrayList<>();
    private final LabHost gateway;
    private final LabHost client;
    private final FaultInjector faults;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Lab(int nodeCount, Path markerDirectory) {
        this.runPrefix = LabTopology.NAME_PREFIX + HexFormat.of().formatHex(RANDOM.generateSeed(3));
        this.markerDirectory = markerDirectory;
        this.marker = RunMarker.forThisProcess(runPrefix);
        this.gateway = new LabHost("gateway", LabTopology.namespace(runPrefix, "gateway"), LabTopology.GATEWAY_ADDRESS,
                LabTopology.vipPort("gateway"), processes);
        this.client = new LabHost("client", LabTopology.namespace(runPrefix, "client"), LabTopology.CLIENT_ADDRESS,
                LabTopology.vipPort("client"), processes);
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add(new LabNode(i, LabTopology.namespace(runPrefix, LabTopology.nodeName(i)), processes));
        }
        this.faults = new FaultInjector(switchNamespace(), gateway);
        this.shutdownHook = new Thread(this::close, runPrefix + "-shutdown");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Empty when this machine can run a lab; otherwise one line saying what is missing. */
    public static Optional<String> unavailableReason() {
        return readiness().reason();
    }

    /** Root, namespaces and the lab commands of host-prerequisites.tsv, checked on this machine now. */
    public static LabReadiness readiness() {
        return LabPrerequisites.check();
    }

    /** Removes every lab whose owning JVM is gone; returns the run prefixes it removed. */
    public static List<String> removeStale() {
        return removeStale(RunMarker.DEFAULT_DIRECTORY);
    }

    /**
     * Labs of other live processes, as "carplab-1a2b3c (pid 123)": each lab puts 203.0.113.1 in the root namespace, so
     * labs of two processes (a demo and a test run) would share the management network. Labs of this process are its
     * own business (a test may build a small second lab on purpose).
     */
    public static List<String> liveRuns() {
        return liveRuns(RunMarker.DEFAULT_DIRECTORY);
    }

    static List<String> liveRuns(Path markerDirectory) {
        List<String> live = new ArrayList<>();
        if (!Files.isDirectory(markerDirectory)) {
            return live;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(markerDirectory, "carplab-*.pid")) {
            for (Path file : files) {
                RunMarker.read(file).filter(marker -> marker.pid() != ProcessHandle.current().pid()).filter(RunMarker::ownerAlive)
                        .ifPresent(marker -> live.add(marker.runPrefix() + " (pid " + marker.pid() + ")"));
            }
        } catch (IOException e) {
            LOG.warnf("Cannot scan %s for running labs: %s", markerDirectory, e.getMessage());
        }
        return live;
    }

    static List<String> removeStale(Path markerDirectory) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(markerDirectory)) {
            return removed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(markerDirectory, "carplab-*.pid")) {
            for (Path file : files) {
                Optional<RunMarker> marker = RunMarker.read(file);
                if (marker.isEmpty() || marker.get().ownerAlive()) {
                    continue;
                }
                String prefix = marker.get().runPrefix();
                LOG.infof("Removing stale lab %s: its owner pid %d is gone", prefix, marker.get().pid());
                LabTeardown.removeRun(prefix, LabTeardown.namespacesOf(prefix));
                marker.get().delete(markerDirectory);
                removed.add(prefix);
            }
        } catch (IOException e) {
            LOG.warnf("Cannot scan %s for stale labs: %s", markerDirectory, e.getMessage());
        }
        return removed;
    }

    /** Per-run name prefix, e.g. {@code carplab-1a2b3c}; every namespace of this lab starts with it. */
    public String runPrefix() {
        return runPrefix;
    }

    public List<LabNode> nodes() {
        return List.copyOf(nodes);
    }

    /** The node with the given 1-based index, as in {@code node1}. */
    public LabNode node(int index) {
        return nodes.get(index - 1);
    }

    /** The isolation host on the VIP network and every node's default gateway. */
    public LabHost gateway() {
        return gateway;
    }

    /** A host on the VIP network that plays the user of the floating IP. */
    public LabHost client() {
        return client;
    }

    /** 203.0.113.1: the root namespace's address on the management network, reachable from every node. */
    public String managementAddress() {
        return LabTopology.MANAGEMENT_ADDRESS;
    }

    public String switchNamespace() {
        return LabTopology.switchNamespace(runPrefix);
    }

    public FaultInjector faults() {
        return faults;
    }

    /** The nodes that currently have {@code vip} configured on their VIP interface. */
    public List<LabNode> holders(String vip) {
        return nodes.stream().filter(node -> node.hasAddress(vip)).toList();
    }

    /** Starts pinging {@code vip} from the client every 10 ms. */
    public ClientPinger startPinger(String vip) {
        return ClientPinger.start(client, vip);
    }

    /** Every namespace of this run that exists right now (after close: none). */
    public List<String> existingNamespaces() {
        return LabTeardown.namespacesOf(runPrefix);
    }

    /** Kills every process this lab started or that runs in its namespaces, then deletes all it created. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are the shutdown hook, or the JVM is exiting anyway
        }
        processes.killAll();
        List<String> problems = LabTeardown.removeRun(runPrefix, LabTeardown.namespacesOf(runPrefix));
        if (problems.isEmpty()) {
            marker.delete(markerDirectory);
            LOG.infof("Lab %s removed", runPrefix);
        } else {
            // the marker stays, so the next run's removeStale retries what we could not remove
            LOG.warnf("Lab %s removed with %d problem(s); its marker stays for the next run", runPrefix, problems.size());
        }
    }

    private void create() {
        marker.write(markerDirectory);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            new LabBuilderSteps(this).createAll();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.infof("Lab %s ready: %d nodes, gateway %s, client %s, management %s",
                runPrefix, nodes.size(), gateway.address(), client.address(), managementAddress());
    }

    /** Builds a lab; {@link #build()} removes stale labs first and cleans up after itself if creation fails. */
    public static final class Builder {

        private int nodeCount = 2;
        private Path markerDirectory = RunMarker.DEFAULT_DIRECTORY;

        private Builder() {
        }

        public Builder nodes(int count) {
            if (count < 1 || count > LabTopology.MAX_NODES) {
                throw new IllegalArgumentException("nodes must be 1.." + LabTopology.MAX_NODES + ", was " + count);
            }
            this.nodeCount = count;
            return this;
        }

        Builder markerDirectory(Path directory) {
            this.markerDirectory = directory;
            return this;
        }

        public Lab build() {
            unavailableReason().ifPresent(reason -> {
                throw new LabException(reason);
            });
            removeStale(markerDirectory);
            List<String> live = liveRuns(markerDirectory);
            if (!live.isEmpty()) {
                throw new LabException("another lab is running: " + String.join(", ", live)
                        + "; labs of two processes would share 203.0.113.1, wait for it or stop that process");
            }
            Lab lab = new Lab(nodeCount, markerDirectory);
            lab.create();
            return lab;
        }
    }
}
