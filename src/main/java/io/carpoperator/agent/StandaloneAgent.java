package io.carpoperator.agent;

import io.carpoperator.dataplane.AgentMetrics;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.LoopHeartbeat;
import io.carpoperator.dataplane.NodeStateJournal;
import io.carpoperator.dataplane.SweptNode;
import io.carpoperator.dataplane.VipDataPlane;
import io.carpoperator.dataplane.VipDataPlaneFactory;
import io.carpoperator.dataplane.VipRunner;
import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.api.NodeState;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.jboss.logging.Logger;

/**
 * {@code agent --standalone}: one VIP from the command line, no Kubernetes. Starts the {@link VipRunner}, serves
 * health and metrics, and on SIGTERM hands the VIP over (if master), removes it and exits.
 */
public final class StandaloneAgent {

    static final int USAGE_ERROR = 2;
    /** The node name standalone records carry; only a cluster agent serves recorded VIPs, and only its own node's. */
    static final String NODE = "standalone";
    private static final Logger LOG = Logger.getLogger(StandaloneAgent.class);

    private StandaloneAgent() {
    }

    /**
     * Sweeps what a previous run in the same state directory left (a killed agent's ucarp and address), then starts the
     * VIP recording it there. The configuration comes from the command line, so nothing recorded is served again.
     */
    private static VipDataPlane startRecorded(StandaloneOptions options, DataPlaneEnvironment hostEnvironment) {
        SweptNode node = SweptNode.sweepOrRunWithout(options.stateDir(), "--state-dir", hostEnvironment);
        NodeStateJournal journal = node.journal();
        DataPlaneEnvironment runEnv = node.environment();
        VipDataPlaneFactory runners = (settings, onChange) -> VipRunner.start(settings, onChange, runEnv, options.userHooks());
        if (journal == null) {
            return runners.start(options.toSettings(), report -> { });
        }
        VipDataPlane plane = journal.recordingVips(runners, NODE).start(options.toSettings(), report -> { });
        journal.forgetVipsNotRecordedThisRun();
        return plane;
    }

    /** Blocks until the JVM is asked to stop; returns the exit code (2 for a bad command line). */
    public static int run(String[] args) {
        return run(args, System.out, System.err, hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "carp-agent-shutdown")));
    }

    /**
     * @param onShutdown registers the handover to run when the process is asked to stop; under Quarkus that is its
     *                   ShutdownEvent, which runs before logging is closed, so the handover's lines are not lost
     */
    public static int run(String[] args, java.util.function.Consumer<Runnable> onShutdown) {
        return run(args, System.out, System.err, onShutdown);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "carp-agent-shutdown")));
    }

    static int run(String[] args, PrintStream out, PrintStream err, java.util.function.Consumer<Runnable> onShutdown) {
        StandaloneOptions options;
        try {
            options = StandaloneOptions.parse(args);
        } catch (StandaloneOptions.HelpRequested help) {
            out.print(StandaloneOptions.usage());
            return 0;
        } catch (StandaloneOptions.UsageException e) {
            err.println(e.getMessage());
            return USAGE_ERROR;
        }
        options.warnings().forEach(LOG::warn);

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "carp-agent");
            t.setDaemon(true);
            return t;
        });
        AgentMetrics metrics = new AgentMetrics();
        VipDataPlane runner = startRecorded(options, DataPlaneEnvironment.forHost(options.runDir(), List.of(), scheduler, metrics));
        VipSettings vip = options.toSettings();
        String label = "vip " + vip.name() + " " + vip.address() + " vhid " + vip.vhid();
        LoopHeartbeat heartbeat = LoopHeartbeat.start(scheduler, Clock.systemUTC());
        AgentHttpServer http = null;
        if (options.healthPort() > 0) {
            try {
                http = AgentHttpServer.start(new InetSocketAddress(options.healthPort()), metrics,
                        () -> HealthVerdict.of(heartbeat.stall()), () -> Readiness.of(true, Map.of(vip.name(), runner.report())));
                LOG.infof("health and metrics on port %d", http.port());
            } catch (IOException e) {
                LOG.errorf("cannot serve health and metrics on port %d: %s", options.healthPort(), e.getMessage());
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AgentHttpServer server = http;
        onShutdown.accept(() -> {
            LOG.infof("%s: shutting down", label);
            try {
                runner.stop(true);
                LOG.infof("%s: stopped; the address is released", label);
            } finally {
                if (server != null) {
                    server.close();
                }
                metrics.close();
                scheduler.shutdownNow();
                stopped.countDown();
            }
        });
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
