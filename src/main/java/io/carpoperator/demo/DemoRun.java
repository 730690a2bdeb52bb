package io.carpoperator.demo;

import io.carpoperator.api.VirtualIP;
import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabException;
import io.carpoperator.lab.LabNode;
import io.carpoperator.operator.OperatorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * `carp-operator demo`: checks the machine, builds a three-node lab, starts the in-process API server, the operator and
 * one agent per node, plays the steps with a live table, prints the summary and removes everything it created, also
 * when stopped with Ctrl-C ({@link #shutdown()}).
 */
public final class DemoRun {
    public static final Path DIRECTORY = Path.of("/run/carp-demo");
    static final int NODES = 3;
    private static final Logger LOG = Logger.getLogger(DemoRun.class);

    private final OperatorSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final Path directory;
    private final Deque<Resource> resources = new ArrayDeque<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Thread runner;
    private boolean cleanedUp;
    private Thread cleaner;

    private record Resource(String name, AutoCloseable closeable) {
    }

    public DemoRun(OperatorSettings settings, PrintStream out, PrintStream err) {
        this(settings, out, err, DIRECTORY);
    }

    DemoRun(OperatorSettings settings, PrintStream out, PrintStream err, Path directory) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.directory = directory;
    }

    /** Runs the demo; 0 when every step passed, 1 when one failed or the machine cannot run it, 2 on bad usage. */
    public int run(List<String> args) {
        DemoSteps steps = new DemoSteps();
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, steps.names());
        } catch (IllegalArgumentException e) {
            err.println("carp demo: " + e.getMessage());
            err.print(DemoOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(DemoOptions.USAGE);
            return 0;
        }
        Optional<String> unavailable = Lab.unavailableReason();
        if (unavailable.isPresent()) {
            err.println("carp demo: " + unavailable.get());
            return 1;
        }
        runner = Thread.currentThread();
        try {
            Path lockFile = directory.resolve("demo.lock");
            Optional<DemoLock> lock = DemoLock.tryAcquire(lockFile);
            if (lock.isEmpty()) {
                err.println("carp demo: another demo is already running (pid " + DemoLock.holder(lockFile)
                        + "); stop it first (Ctrl-C in its terminal)");
                return 1;
            }
            register("lock", lock.get());
            return play(options, steps);
        } catch (InterruptedException e) {
            out.println("carp demo: interrupted");
            return 130;
        } catch (IOException | LabException e) {
            err.println("carp demo: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            if (stopRequested.getCount() == 0) {
                return 130; // stopped mid-step: the clean-up pulled the lab from under it
            }
            err.println("carp demo: failed: " + e + " (details in " + directory.resolve("demo.log") + ")");
            LOG.error("the demo failed", e);
            return 1;
        } finally {
            cleanUp();
        }
    }

    private int play(DemoOptions options, DemoSteps steps) throws IOException, InterruptedException {
        for (String removed : Lab.removeStale()) {
            out.println("carp demo: removed lab " + removed + ", left behind by a run that was killed");
        }
        Clock clock = Clock.systemUTC();
        Path log = directory.resolve("demo.log");
        DemoLog logFile = DemoLog.redirectTo(log);
        register("log", logFile::close);
        out.println("carp demo: building a lab of " + NODES + " nodes (network namespaces, real ucarp); log in " + log);
        Lab lab = Lab.builder().nodes(NODES).build();
        register("lab " + lab.runPrefix(), lab);
        DemoApiServer api = DemoApiServer.start(0, clock);
        register("API server", api);
        Path kubeconfig = api.writeKubeconfig(directory.resolve("kubeconfig"));
        register("kubeconfig", () -> Files.deleteIfExists(kubeconfig));
        Path agentDirs = directory.resolve("agents");
        register("agent run directories", () -> deleteTree(agentDirs));
        DemoCluster cluster = DemoCluster.start(lab, api.client(), api::agentClient, settings, agentDirs, clock);
        register("operator and agents", cluster);
        VirtualIP sample = DemoSample.forLab(lab.nodes());
        String address = sample.getSpec().address.replaceFirst("/.*", "");
        ClientPinger pinger = lab.startPinger(address);
        register("client pings", pinger);
        describe(lab, api, kubeconfig, address);
        out.println("carp demo: " + ForgedReport.attempt(api, lab.nodes().get(1).name(), lab.nodes().get(0).name()));

        DemoOutput output = new DemoOutput(out, Instant.now());
        DemoWorld world = new DemoWorld(lab, cluster, api.client(), pinger, sample);
        LiveTable table = new LiveTable(world::vip, lab.nodes(), output);
        List<DemoStep> plan = steps.plan(options.scenario());
        List<StepResult> results = new ArrayList<>();
        for (int i = 0; i < plan.size() && stopRequested.getCount() > 0; i++) {
            DemoStep step = plan.get(i);
            output.line("");
            output.line("== " + (i + 1) + "/" + plan.size() + " " + step.name() + ": " + step.expectation());
            if (i == 0) {
                register("live table", table.start());
            } else {
                table.printHeader();
            }
            StepResult result = step.run(world, output);
            results.add(result);
            Thread.sleep(2 * LiveTable.POLL_MILLIS); // the live table shows the last change before the verdict
            output.note(result.measuredText() + " (bound " + StepResult.seconds(result.bound()) + "): "
                    + (result.passed() ? "ok" : "FAILED") + "; " + result.note());
        }
        output.line("");
        output.line("SUMMARY (" + lab.runPrefix() + ", client pinging " + address + " every 10 ms)");
        DemoSummary.lines(results).forEach(line -> output.line("  " + line));
        boolean passed = DemoSummary.allPassed(results) && results.size() == plan.size();
        output.line(passed ? "carp demo: every step reached its expected state within its bound"
                : "carp demo: some steps FAILED; the log has the details: " + log);
        if (options.hold() && stopRequested.getCount() > 0) {
            output.line("carp demo: holding; try `KUBECONFIG=" + kubeconfig + " kubectl get vip`; Ctrl-C stops and removes everything");
            stopRequested.await();
        }
        return passed ? 0 : 1;
    }

    private void describe(Lab lab, DemoApiServer api, Path kubeconfig, String address) {
        out.println("carp demo: lab " + lab.runPrefix() + ": " + lab.nodes().stream().map(n -> n.name() + " " + n.address())
                .reduce((a, b) -> a + ", " + b).orElse("") + "; gateway/isolation host " + lab.gateway().address()
                + "; client " + lab.client().address() + " pings " + address + " every 10 ms; heartbeat network 203.0.113.0/24");
        out.println("carp demo: Kubernetes API (in-process, Fabric8 mock server) at " + api.url() + "; operator and "
                + lab.nodes().size() + " agents running");
        out.println("carp demo: kubectl works against it: export KUBECONFIG=" + kubeconfig + "; kubectl get vip");
    }

    /** Ctrl-C or SIGTERM: stop the steps and remove everything now, before the JVM exits. */
    public void shutdown() {
        synchronized (resources) {
            if (!cleanedUp && !resources.isEmpty()) {
                out.println("carp demo: stopping: removing everything it created");
            }
        }
        stopRequested.countDown();
        Thread thread = runner;
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
        }
        cleanUp();
    }

    private void register(String name, AutoCloseable closeable) {
        synchronized (resources) {
            resources.push(new Resource(name, closeable));
        }
    }

    /** Closes everything in reverse order of creation, once, whoever asks first; one line per thing that resists. */
    /**
     * Runs the clean-up on a thread of its own, once, and waits for it without being interruptible: Ctrl-C interrupts
     * the steps' thread, and an interrupted clean-up could not wait for the agents to hand over and stop.
     */
    private void cleanUp() {
        Thread worker;
        synchronized (this) {
            if (cleaner == null) {
                cleaner = new Thread(this::closeResources, "demo-cleanup");
                cleaner.start();
            }
            worker = cleaner;
        }
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeResources() {
        synchronized (resources) {
            if (cleanedUp || resources.isEmpty()) {
                return;
            }
            boolean hadLab = resources.stream().anyMatch(r -> r.name().startsWith("lab "));
            while (!resources.isEmpty()) {
                Resource resource = resources.pop();
                try {
                    resource.closeable().close();
                } catch (Exception e) {
                    err.println("carp demo: could not remove " + resource.name() + ": " + e.getMessage());
                }
            }
            cleanedUp = true;
            if (hadLab) {
                out.println("carp demo: removed the lab, the agents and their ucarp, the operator and the API server; log kept in "
                        + directory.resolve("demo.log"));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

}
