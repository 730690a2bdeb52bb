package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.VipReport;
import io.carpoperator.dataplane.VipDataPlaneFactory;
import io.carpoperator.dataplane.VipDataPlane;
import static io.carpoperator.agent.AgentFixtures.NODE;
import static io.carpoperator.agent.AgentFixtures.resolved;
import static io.carpoperator.dataplane.VipSettingsFixtures.retuned;
import static io.carpoperator.dataplane.VipSettingsFixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunningVipsTest {
    private final ManualScheduler time = new ManualScheduler();
    private final List<String> written = new ArrayList<>();
    private final NodeStatusReporter reporter = new NodeStatusReporter(NODE, "203.0.113.1", (node, patch, whole, replace) -> written.add(node + " " + patch), time, time.clock(), Duration.ofSeconds(10));
    private final FakeDataPlanes planes = new FakeDataPlanes("198.51.100.2");
    private final RunningVips running = new RunningVips(NODE, planes, reporter, time.clock());

    private static VipSettings settings(String name, String address) {
        return ResolvedVipSettings.build(name, NODE, resolved(address, 1, NODE), "pw", List.of(), List.of());
    }

    @Test
    void aStartedVipReportsItsFirstStateAtOnce() {
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24"))));
        time.runDueTasks();
        assertThat(written).singleElement().asString().contains("\"state\":\"BACKUP\"", "\"address\":\"198.51.100.2\"");
        assertThat(running.ownAddresses()).containsEntry("web", "198.51.100.2");
    }

    @Test
    void aDataPlaneThatFailsToStartIsReportedFailedAndRetriedLater() {
        planes.failNextStart = new IllegalStateException("ucarp not found");
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24"))));
        time.runDueTasks();
        assertThat(running.settings()).isEmpty();
        assertThat(written).singleElement().asString().contains("\"state\":\"FAILED\"", "data plane did not start: ucarp not found");
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24"))));
        assertThat(running.settings()).containsOnlyKeys("web");
    }

    @Test
    void aNodeRunsAtMostTheVipsItsMemoryLimitIsSizedForAndReportsTheRestFailedWithTheReason() {
        List<VipAction> starts = new ArrayList<>();
        for (int i = 0; i <= RunningVips.MAX_VIPS_PER_NODE; i++) {
            starts.add(new VipAction.Start(settings(String.format("vip%03d", i), "198.51.100.10/24")));
        }
        running.apply(starts);
        time.runDueTasks();

        assertThat(running.settings()).hasSize(RunningVips.MAX_VIPS_PER_NODE).doesNotContainKey("vip100");
        assertThat(written).last().asString().contains("vip100", "\"state\":\"FAILED\"",
                "already runs " + RunningVips.MAX_VIPS_PER_NODE + " VIPs");
        running.apply(List.of(new VipAction.Stop("vip000", "deleted", true)));
        running.apply(List.of(new VipAction.Start(settings("vip100", "198.51.100.10/24"))));
        assertThat(running.settings()).as("room again once one stopped").containsKey("vip100");
    }

    @Test
    void aRestartedVipsOldDataPlaneIsNoLongerReported() {
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24"))));
        FakeDataPlanes.FakePlane old = planes.latest("web");
        VipSettings changed = settings("web", "198.51.100.11/24");
        running.apply(List.of(new VipAction.Restart(changed, "address")));
        time.runDueTasks();
        written.clear();
        old.become(NodeState.MASTER);
        time.runDueTasks();
        assertThat(written).isEmpty();
        assertThat(old.stoppedWithHandOver).isFalse();
        assertThat(running.settings()).containsEntry("web", changed);
    }

    @Test
    void aRetuneIsAppliedToTheRunningDataPlaneWithoutARestart() {
        VipSettings first = settings("web", "198.51.100.10/24");
        running.apply(List.of(new VipAction.Start(first)));
        VipSettings tuned = retuned(first, first.isolationEnabled(), first.probeInterval(), 5, first.gratuitousArpInterval());
        running.apply(List.of(new VipAction.Retune(tuned, "hold limit 2 -> 5")));

        assertThat(planes.started).hasSize(1);
        assertThat(planes.calls).containsExactly("start web", "retune web");
        assertThat(running.settings()).containsEntry("web", tuned);
    }

    @Test
    void aDataPlaneThatCannotRetuneIsRestartedHandingOverWhenMaster() {
        planes.retunable = false;
        VipSettings first = settings("web", "198.51.100.10/24");
        running.apply(List.of(new VipAction.Start(first)));
        planes.latest("web").become(NodeState.MASTER);
        VipSettings tuned = retuned(first, first.isolationEnabled(), first.probeInterval(), 5, first.gratuitousArpInterval());
        running.apply(List.of(new VipAction.Retune(tuned, "hold limit 2 -> 5")));

        assertThat(planes.calls).containsExactly("start web", "retune web refused", "stop web with hand-over", "start web");
        assertThat(running.settings()).containsEntry("web", tuned);
    }

    @Test
    void aRestartedMasterHandsOverFirstAndABackupJustRestarts() {
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24")),
                new VipAction.Start(settings("db", "198.51.100.20/24"))));
        planes.latest("web").become(NodeState.MASTER);
        FakeDataPlanes.FakePlane master = planes.latest("web");
        FakeDataPlanes.FakePlane backup = planes.latest("db");
        running.apply(List.of(new VipAction.Restart(settings("web", "198.51.100.11/24"), "address"),
                new VipAction.Restart(settings("db", "198.51.100.21/24"), "address")));

        assertThat(master.stoppedWithHandOver).isTrue();
        assertThat(backup.stoppedWithHandOver).isFalse();
    }

    @Test
    void aMasterRestartedOntoAnotherPasswordTooDoesNotHandOver() {
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24"))));
        planes.latest("web").become(NodeState.MASTER);
        FakeDataPlanes.FakePlane master = planes.latest("web");
        running.apply(List.of(new VipAction.Restart(withPassword(settings("web", "198.51.100.11/24"), "n3w"),
                "address, password")));

        assertThat(master.stoppedWithHandOver).as("the helper's password may not be the backups'").isFalse();
    }

    @Test
    void aStoppedVipsEntryIsRemoved() {
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24"))));
        time.runDueTasks();
        running.apply(List.of(new VipAction.Stop("web", "the VirtualIP is being deleted", true)));
        time.runDueTasks();
        assertThat(written).last().asString().contains("\"web\":null");
        assertThat(running.settings()).isEmpty();
    }

    @Test
    void theLatestReportOfEachRunningVipIsThereForReadiness() {
        running.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24")),
                new VipAction.Start(settings("db", "198.51.100.20/24"))));
        planes.latest("db").become(NodeState.INIT);
        assertThat(running.reports()).hasSize(2).hasEntrySatisfying("web", r -> assertThat(r.state()).isEqualTo(NodeState.BACKUP))
                .hasEntrySatisfying("db", r -> assertThat(r.state()).isEqualTo(NodeState.INIT));

        planes.latest("db").become(NodeState.MASTER);
        running.apply(List.of(new VipAction.Stop("web", "the VirtualIP is being deleted", true)));
        assertThat(running.reports()).containsOnlyKeys("db").hasEntrySatisfying("db", r -> assertThat(r.state()).isEqualTo(NodeState.MASTER));
    }

    @Test
    void readinessDoesNotWaitForADataPlaneThatIsStopping() throws Exception {
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        VipDataPlaneFactory slowStop = planes(NodeState.BACKUP, "ucarp switched to BACKUP", (name, handOver) -> {
            stopping.countDown();
            awaitAtMostFiveSeconds(release);
        });
        RunningVips vips = new RunningVips(NODE, slowStop, reporter, time.clock());
        vips.apply(List.of(new VipAction.Start(settings("web", "198.51.100.10/24")), new VipAction.Start(settings("db", "198.51.100.20/24"))));
        Thread stopper = new Thread(() -> vips.apply(List.of(new VipAction.Stop("web", "the VirtualIP is being deleted", true))));
        stopper.start();
        try {
            assertThat(stopping.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(vips.reports()).as("answered while apply holds the lock").containsOnlyKeys("db");
        } finally {
            release.countDown();
            stopper.join(5000);
        }
    }

    @Test
    void shutdownHandsEveryVipOverInParallelAndReportsTheirLastState() throws Exception {
        int count = 5;
        CountDownLatch allStopping = new CountDownLatch(count);
        List<String> handOvers = new java.util.concurrent.CopyOnWriteArrayList<>();
        VipDataPlaneFactory blocking = planes(NodeState.INIT, "stopped", (name, handOver) -> {
            allStopping.countDown();
            // each stop waits until all are stopping: only parallel stops finish
            if (awaitAtMostFiveSeconds(allStopping)) {
                handOvers.add(name + (handOver ? " handed over" : ""));
            }
        });
        RunningVips vips = new RunningVips(NODE, blocking, reporter, time.clock());
        List<VipAction> starts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            starts.add(new VipAction.Start(settings("vip-" + i, "198.51.100." + (10 + i) + "/24")));
        }
        vips.apply(starts);
        long begin = System.nanoTime();
        vips.stopAll(true, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(4));
        assertThat(handOvers).hasSize(count).allSatisfy(h -> assertThat(h).endsWith("handed over"));
        assertThat(vips.settings()).isEmpty();
        time.runDueTasks();
        assertThat(written).as("one NodeReport write for every VIP").singleElement().asString()
                .satisfies(w -> assertThat(w.split("\"state\":\"INIT\"", -1)).hasSize(count + 1));
    }

    /** Data planes that always report {@code state} and, when stopped, run {@code onStop} with the VIP's name and hand-over. */
    private VipDataPlaneFactory planes(NodeState state, String reason, java.util.function.BiConsumer<String, Boolean> onStop) {
        return (settings, onChange) -> new VipDataPlane() {
            @Override
            public void updateTargets(List<String> peers, List<String> heartbeats) {
            }

            @Override
            public VipReport report() {
                return new VipReport(state, time.now(), reason, null, null, 0, List.of());
            }

            @Override
            public void stop(boolean handOver, Duration budget) {
                onStop.accept(settings.name(), handOver);
            }
        };
    }

    private static boolean awaitAtMostFiveSeconds(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
