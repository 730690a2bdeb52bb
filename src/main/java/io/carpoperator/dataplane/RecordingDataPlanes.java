package io.carpoperator.dataplane;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records each VIP's configuration in the node-state journal before its data plane starts, so that a crash at any point
 * after leaves its address findable. A stop for good (deleted, deselected, replaced) forgets it once the stop returns; a
 * hand-over (the agent shutting down) keeps it, because the VIP is still wanted and a restart during an API outage serves
 * it from the record.
 */
final class RecordingDataPlanes implements VipDataPlaneFactory {

    private final VipDataPlaneFactory dataPlanes;
    private final NodeStateJournal journal;
    private final String node;

    RecordingDataPlanes(VipDataPlaneFactory dataPlanes, NodeStateJournal journal, String node) {
        this.dataPlanes = dataPlanes;
        this.journal = journal;
        this.node = node;
    }

    @Override
    public VipDataPlane start(VipSettings settings, Consumer<VipReport> onChange) {
        journal.recordVip(node, settings);
        try {
            return new RecordedPlane(dataPlanes.start(settings, onChange), settings);
        } catch (RuntimeException e) {
            journal.forgetVip(settings.name());
            throw e;
        }
    }

    private final class RecordedPlane implements VipDataPlane {
        private final VipDataPlane plane;
        private VipSettings settings;

        RecordedPlane(VipDataPlane plane, VipSettings settings) {
            this.plane = plane;
            this.settings = settings;
        }

        @Override
        public synchronized void updateTargets(List<String> peers, List<String> heartbeats) {
            plane.updateTargets(peers, heartbeats);
            settings = settings.withTargets(peers, heartbeats);
            journal.recordVip(node, settings);
        }

        /** A retuned VIP (new watchdog settings, a rotated password) is recorded as it now runs. */
        @Override
        public synchronized boolean retune(VipSettings newSettings) {
            if (!plane.retune(newSettings)) {
                return false;
            }
            settings = newSettings;
            journal.recordVip(node, settings);
            return true;
        }

        @Override
        public VipReport report() {
            return plane.report();
        }

        @Override
        public void stop(boolean handOver, Duration budget) {
            plane.stop(handOver, budget);
            if (!handOver) {
                journal.forgetVip(settings.name());
            }
        }
    }
}
