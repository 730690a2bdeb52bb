package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.api.NodeState;
import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpInstance;
import io.carpoperator.carp.UcarpState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decorators that keep the journal current without the runner knowing: ucarp pids, VIP configurations. */
class NodeStateRecordingTest {

    @TempDir
    Path dir;

    private final StartupSweepTest.FakeProcesses processes = new StartupSweepTest.FakeProcesses();
    private final List<String> calls = new ArrayList<>();

    private NodeStateJournal journal() throws IOException {
        return NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST);
    }

    private NodeStateJournal.Contents recorded() throws IOException {
        return journal().previousRun();
    }

    /** A ucarp that only exists as a pid; the listener the launcher was given is kept to play its exit. */
    private static final class FakeUcarp implements UcarpInstance {
        final long pid;
        UcarpInstance.Listener listener;

        FakeUcarp(long pid) {
            this.pid = pid;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public UcarpState state() {
            return UcarpState.INIT;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public void demote() {
        }

        @Override
        public boolean stop(Duration grace) {
            return true;
        }

        @Override
        public void kill() {
        }
    }

    @Test
    void recordsEachUcarpWithItsStartTimeAndForgetsItWhenItExits() throws IOException {
        processes.with(4242, 555, "ucarp");
        FakeUcarp ucarp = new FakeUcarp(4242);
        UcarpInstance.Launcher launcher = journal().recordingUcarps((label, argv, listener) -> {
            ucarp.listener = listener;
            return ucarp;
        }, processes);
        List<String> heard = new ArrayList<>();
        UcarpInstance started = launcher.start("vip web 198.51.100.10 vhid 7", List.of("ucarp"), new UcarpInstance.Listener() {
            @Override
            public void onEvent(UcarpEvent event) {
                heard.add("event");
            }

            @Override
            public void onGone(int exitCode) {
                heard.add("gone " + exitCode);
            }

            @Override
            public void onExit(int exitCode) {
                heard.add("exit " + exitCode);
            }
        });

        assertThat(started).isSameAs(ucarp);
        assertThat(recorded().ucarps()).containsExactly(new RecordedUcarp(4242, 555, "vip web 198.51.100.10 vhid 7"));
        ucarp.listener.onGone(0);
        ucarp.listener.onExit(0);
        assertThat(recorded().ucarps()).isEmpty();
        assertThat(heard).as("both passed on: gone is what removes the address at once").containsExactly("gone 0", "exit 0");
    }

    @Test
    void aUcarpThatExitedBeforeItsStartWasRecordedLeavesNoRecord() throws IOException {
        processes.with(4242, 555, "ucarp");
        UcarpInstance.Launcher launcher = journal().recordingUcarps((label, argv, listener) -> {
            listener.onExit(1);
            return new FakeUcarp(4242);
        }, processes);
        launcher.start("vip web", List.of("ucarp"), new UcarpInstance.Listener() {
            @Override
            public void onEvent(UcarpEvent event) {
            }

            @Override
            public void onGone(int exitCode) {
            }

            @Override
            public void onExit(int exitCode) {
            }
        });
        assertThat(recorded().ucarps()).isEmpty();
    }

    private VipDataPlaneFactory fakePlanes() {
        return (settings, onChange) -> {
            calls.add("start " + settings.name());
            return new VipDataPlane() {
                @Override
                public void updateTargets(List<String> peers, List<String> heartbeats) {
                    calls.add("targets " + peers);
                }

                @Override
                public VipReport report() {
                    return new VipReport(NodeState.BACKUP, Instant.EPOCH, "fake", null, null, 0, List.of());
                }

                @Override
                public void stop(boolean handOver, java.time.Duration budget) {
                    calls.add("stop " + settings.name() + (handOver ? " with hand-over" : ""));
                }
            };
        };
    }

    @Test
    void recordsTheConfigurationBeforeTheDataPlaneStartsAndForgetsItAfterAStopForGood() throws IOException {
        VipSettings web = NodeStateJournalTest.settings("web", "198.51.100.10");
        VipDataPlaneFactory planes = journal().recordingVips((settings, onChange) -> {
            try {
                assertThat(recorded().vips()).as("recorded before it starts").extracting(RecordedVip::settings).containsExactly(settings);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return fakePlanes().start(settings, onChange);
        }, "node-a");

        VipDataPlane plane = planes.start(web, report -> { });
        plane.updateTargets(List.of("198.51.100.13"), List.of("203.0.113.13"));
        assertThat(recorded().vips()).extracting(RecordedVip::settings)
                .containsExactly(web.withTargets(List.of("198.51.100.13"), List.of("203.0.113.13")));

        plane.stop(false);
        assertThat(calls).containsExactly("start web", "targets [198.51.100.13]", "stop web");
        assertThat(recorded().vips()).isEmpty();
    }

    @Test
    void aRetunedVipIsRecordedAsItNowRunsAndARefusedRetuneChangesNothing() throws IOException {
        VipSettings web = NodeStateJournalTest.settings("web", "198.51.100.10");
        VipSettings rotated = VipSettingsFixtures.withPassword(web, "n3w");
        VipDataPlane plane = journal().recordingVips((settings, onChange) -> new VipDataPlane() {
            @Override
            public void updateTargets(List<String> peers, List<String> heartbeats) {
            }

            @Override
            public boolean retune(VipSettings newSettings) {
                return newSettings.equals(rotated);
            }

            @Override
            public VipReport report() {
                return new VipReport(NodeState.BACKUP, Instant.EPOCH, "fake", null, null, 0, List.of());
            }

            @Override
            public void stop(boolean handOver, java.time.Duration budget) {
            }
        }, "node-a").start(web, report -> { });

        assertThat(plane.retune(VipSettingsFixtures.withPassword(web, "refused"))).isFalse();
        assertThat(recorded().vips()).extracting(RecordedVip::settings).containsExactly(web);
        assertThat(plane.retune(rotated)).isTrue();
        assertThat(recorded().vips()).extracting(RecordedVip::settings).containsExactly(rotated);
    }

    @Test
    void aHandOverKeepsTheConfigurationBecauseTheVipIsStillWanted() throws IOException {
        VipDataPlane plane = journal().recordingVips(fakePlanes(), "node-a").start(NodeStateJournalTest.settings("web", "198.51.100.10"),
                report -> { });
        plane.stop(true);
        assertThat(recorded().vips()).extracting(RecordedVip::name).containsExactly("web");
    }

    @Test
    void aDataPlaneThatDidNotStartIsNotRecorded() throws IOException {
        VipDataPlaneFactory failing = (settings, onChange) -> {
            throw new IllegalStateException("no interface for 198.51.100.10");
        };
        Consumer<VipReport> ignore = report -> { };
        assertThatThrownBy(() -> journal().recordingVips(failing, "node-a").start(NodeStateJournalTest.settings("web", "198.51.100.10"), ignore))
                .hasMessageContaining("no interface");
        assertThat(recorded().vips()).isEmpty();
    }
}
