package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.VipReport;
import io.carpoperator.dataplane.VipDataPlaneFactory;
import io.carpoperator.dataplane.VipDataPlane;
import io.carpoperator.dataplane.WireConflict;
import io.carpoperator.api.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A data plane that runs nothing and records every call, for the agent's tests. */
final class FakeDataPlanes implements VipDataPlaneFactory {
    final List<FakePlane> started = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String ownAddress;
    volatile RuntimeException failNextStart;
    /** Whether the planes apply a retune in place (the interface's default says no). */
    volatile boolean retunable = true;

    FakeDataPlanes(String ownAddress) {
        this.ownAddress = ownAddress;
    }

    @Override
    public VipDataPlane start(VipSettings settings, Consumer<VipReport> onChange) {
        calls.add("start " + settings.name());
        RuntimeException failure = failNextStart;
        if (failure != null) {
            failNextStart = null;
            throw failure;
        }
        FakePlane plane = new FakePlane(settings, onChange);
        started.add(plane);
        return plane;
    }

    List<FakePlane> planes(String name) {
        return started.stream().filter(p -> p.settings.name().equals(name)).toList();
    }

    FakePlane latest(String name) {
        List<FakePlane> planes = planes(name);
        return planes.isEmpty() ? null : planes.get(planes.size() - 1);
    }

    final class FakePlane implements VipDataPlane {
        final VipSettings settings;
        final Consumer<VipReport> onChange;
        final List<List<String>> targetUpdates = new CopyOnWriteArrayList<>();
        volatile Boolean stoppedWithHandOver;
        volatile NodeState state = NodeState.BACKUP;
        volatile List<WireConflict> conflicts = List.of();
        final Instant since = Instant.now();

        FakePlane(VipSettings settings, Consumer<VipReport> onChange) {
            this.settings = settings;
            this.onChange = onChange;
        }

        @Override
        public void updateTargets(List<String> peers, List<String> heartbeats) {
            calls.add("updateTargets " + settings.name() + " " + peers + " " + heartbeats);
            List<String> update = new ArrayList<>(peers);
            update.add("|");
            update.addAll(heartbeats);
            targetUpdates.add(update);
        }

        @Override
        public boolean retune(VipSettings newSettings) {
            calls.add("retune " + settings.name() + (retunable ? "" : " refused"));
            return retunable;
        }

        @Override
        public VipReport report() {
            return new VipReport(state, since, "fake " + state, ownAddress, null, 0, conflicts);
        }

        @Override
        public void stop(boolean handOver, java.time.Duration budget) {
            calls.add("stop " + settings.name() + (handOver ? " with hand-over" : ""));
            stoppedWithHandOver = handOver;
            state = NodeState.INIT;
        }

        void become(NodeState newState) {
            state = newState;
            onChange.accept(report());
        }

        /** What the wire shows now of other speakers competing for this VIP. */
        void see(WireConflict... seen) {
            conflicts = List.of(seen);
            onChange.accept(report());
        }
    }
}
