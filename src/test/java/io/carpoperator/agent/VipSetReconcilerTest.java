package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import static io.carpoperator.agent.AgentFixtures.KEY;
import static io.carpoperator.agent.AgentFixtures.NAMESPACE;
import static io.carpoperator.agent.AgentFixtures.NODE;
import static io.carpoperator.agent.AgentFixtures.NODE_IP;
import static io.carpoperator.agent.AgentFixtures.SECRET;
import static io.carpoperator.agent.AgentFixtures.resolved;
import static io.carpoperator.agent.AgentFixtures.secret;
import static io.carpoperator.agent.AgentFixtures.vip;
import static io.carpoperator.agent.AgentFixtures.withEntry;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.ProbeType;
import io.carpoperator.dataplane.NodeStateJournal;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache-to-actions path: DesiredVips decides per VirtualIP configuration, VipSetReconciler diffs against what runs. */
class VipSetReconcilerTest {
    private final DesiredVips desiredVips = new DesiredVips(NODE, NODE_IP, NAMESPACE);
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, VipSettings> running = new HashMap<>();
    /** The VIPs our NodeReport holds an entry for. */
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    @BeforeEach
    void putSecret() {
        secrets.put(SECRET, secret(SECRET, KEY, "s3cret"));
    }

    private List<VipAction> plan(ConfigMap... configs) {
        Map<String, ConfigMap> byName = new HashMap<>();
        for (ConfigMap config : configs) {
            byName.put(config.getMetadata().getName(), config);
        }
        return VipSetReconciler.plan(desiredVips.compute(byName, secrets::get, Map.of(), reported::contains), running);
    }

    /** Runs the plan's starts, restarts and updates the way the agent would, so the next plan sees them running. */
    private List<VipAction> apply(List<VipAction> actions) {
        for (VipAction action : actions) {
            if (action instanceof VipAction.Start start) {
                running.put(start.name(), start.settings());
                reported.add(start.name());
            } else if (action instanceof VipAction.Restart restart) {
                running.put(restart.name(), restart.settings());
            } else if (action instanceof VipAction.UpdateTargets update) {
                running.put(update.name(), update.settings());
            } else if (action instanceof VipAction.Retune retune) {
                running.put(retune.name(), retune.settings());
            } else if (action instanceof VipAction.Stop stop) {
                running.remove(stop.name());
                if (stop.removeEntry()) {
                    reported.remove(stop.name());
                }
            }
        }
        return actions;
    }

    @Test
    void startsAVipThatSelectsThisNodeWithThePasswordFromTheSecret() {
        List<VipAction> actions = apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b"))));
        assertThat(actions).singleElement().isInstanceOfSatisfying(VipAction.Start.class, start -> {
            assertThat(start.settings().name()).isEqualTo("web");
            assertThat(start.settings().address()).isEqualTo("198.51.100.10");
            assertThat(start.settings().password()).isEqualTo("s3cret");
            assertThat(start.settings().advskew()).isZero();
        });
        assertThat(plan(vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b")))).as("nothing changed").isEmpty();
    }

    @Test
    void vipsServedFromTheRecordedConfigurationKeepRunningWhenUnchangedAndStopWhenNoLongerWanted(@TempDir Path stateDir)
            throws IOException {
        ConfigMap web = vip("web", resolved("198.51.100.10/24", 1, NODE));
        ConfigMap db = vip("db", resolved("198.51.100.20/24", 2, NODE));
        NodeStateJournal previousRun = NodeStateJournal.open(stateDir, Clock.systemUTC());
        for (VipAction start : plan(web, db)) {
            previousRun.recordVip(NODE, ((VipAction.Start) start).settings());
        }
        // restarted during an API outage: served from the record; then the API answers, and db was deleted meanwhile
        NodeStateJournal.open(stateDir, Clock.systemUTC()).previousRun().vips().forEach(vip -> running.put(vip.name(), vip.settings()));
        Map<String, DesiredVip> desired = new HashMap<>(desiredVips.compute(Map.of("web", web), secrets::get, Map.of(), n -> true));
        desired.put("db", desiredVips.desired("db", null, secrets::get, null, true));

        assertThat(VipSetReconciler.plan(desired, running)).as("web unchanged: no restart; db: stopped and its entry removed")
                .containsExactly(new VipAction.Stop("db", "the operator withdrew its configuration (the VirtualIP was deleted)", true));
    }

    @Test
    void ignoresAVipThatSelectsOtherNodesOnly() {
        assertThat(plan(vip("elsewhere", resolved("198.51.100.10/24", 1, "node-b")))).isEmpty();
    }

    @Test
    void aSettingsChangeRestartsOnlyThatVip() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE)), vip("db", resolved("198.51.100.20/24", 2, NODE))));
        var edited = resolved("198.51.100.10/24", 1, NODE);
        edited.preempt = true;
        List<VipAction> actions = plan(vip("web", edited), vip("db", resolved("198.51.100.20/24", 2, NODE)));
        assertThat(actions).singleElement().isInstanceOfSatisfying(VipAction.Restart.class, restart -> {
            assertThat(restart.name()).isEqualTo("web");
            assertThat(restart.settings().preempt()).isTrue();
            assertThat(restart.changes()).isEqualTo("preempt false -> true");
        });
    }

    @Test
    void aNewPasswordIsRotatedInPlaceWithoutShowingIt() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        secrets.put(SECRET, secret(SECRET, KEY, "n3w"));
        assertThat(plan(vip("web", resolved("198.51.100.10/24", 1, NODE)))).singleElement()
                .isInstanceOfSatisfying(VipAction.Retune.class, retune -> {
                    assertThat(retune.changes()).isEqualTo("password");
                    assertThat(retune.settings().password()).isEqualTo("n3w");
                });
    }

    @Test
    void watchdogAndGratuitousArpChangesAreRetunedInPlaceNamingWhatChanged() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        var edited = resolved("198.51.100.10/24", 1, NODE);
        edited.probeIntervalMillis = 500;
        edited.holdLimit = 3;
        edited.recoverAfter = 4;
        edited.gratuitousArpIntervalSeconds = 30;
        edited.isolationHosts = List.of("198.51.100.1");
        edited.probes = List.of(ProbeType.ICMP);
        edited.isolationEnabled = false;
        assertThat(plan(vip("web", edited))).singleElement().isInstanceOfSatisfying(VipAction.Retune.class,
                retune -> assertThat(retune.changes()).isEqualTo("isolation true -> false, isolation hosts [] -> [198.51.100.1], "
                        + "probes [ICMP, ARP] -> [ICMP], probe interval PT1S -> PT0.5S, hold limit 2 -> 3, recover after 2 -> 4, "
                        + "gratuitous ARP interval PT10S -> PT30S"));
    }

    @Test
    void aRetuneTogetherWithACommandLineChangeIsARestart() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        var edited = resolved("198.51.100.10/24", 1, NODE);
        edited.holdLimit = 3;
        edited.advertisementIntervalSeconds = 2;
        assertThat(plan(vip("web", edited))).singleElement().isInstanceOfSatisfying(VipAction.Restart.class,
                restart -> assertThat(restart.changes()).isEqualTo("advbase 1 -> 2, hold limit 2 -> 3"));
    }

    @Test
    void peersAndHeartbeatsFromOtherNodesEntriesAreUpdatedInPlace() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b", "node-c"))));
        ConfigMap withPeers = vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b", "node-c"));
        withEntry(withPeers, NODE, "198.51.100.2", NODE_IP);
        withEntry(withPeers, "node-c", "198.51.100.4", "203.0.113.4");
        withEntry(withPeers, "node-b", "198.51.100.3", "203.0.113.3");
        withEntry(withPeers, "node-gone", "198.51.100.9", "203.0.113.9");
        List<VipAction> actions = apply(plan(withPeers));
        assertThat(actions).singleElement().isInstanceOfSatisfying(VipAction.UpdateTargets.class, update -> {
            assertThat(update.settings().peers()).as("other selected nodes only, in name order").containsExactly("198.51.100.3", "198.51.100.4");
            assertThat(update.settings().heartbeats()).containsExactly("203.0.113.3", "203.0.113.4");
        });
    }

    @Test
    void anotherNodeReportingOurOwnAddressIsNoPeer() {
        ConfigMap vip = vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b"));
        withEntry(vip, NODE, "198.51.100.2", NODE_IP);
        withEntry(vip, "node-b", "198.51.100.2", NODE_IP);
        assertThat(plan(vip)).singleElement().isInstanceOfSatisfying(VipAction.Start.class, start -> {
            assertThat(start.settings().peers()).isEmpty();
            assertThat(start.settings().heartbeats()).isEmpty();
        });
    }

    @Test
    void aPeerAddressThatWouldAnswerWhateverHappensIsNoPeer() {
        ConfigMap vip = vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b", "node-c", "node-d", "node-e"));
        withEntry(vip, "node-b", "198.51.100.10", "203.0.113.2");
        withEntry(vip, "node-c", "198.51.100.255", "203.0.113.3");
        withEntry(vip, "node-d", "127.0.0.1", "203.0.113.4");
        withEntry(vip, "node-e", "198.51.100.5", "203.0.113.5");
        assertThat(plan(vip)).singleElement().isInstanceOfSatisfying(VipAction.Start.class,
                start -> assertThat(start.settings().peers()).containsExactly("198.51.100.5"));
    }

    @Test
    void aDeselectedVipIsStoppedAndOurEntryRemoved() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE, "node-b"))));
        ConfigMap deselected = withEntry(vip("web", resolved("198.51.100.10/24", 1, "node-b")), NODE, "198.51.100.2", NODE_IP);
        assertThat(apply(plan(deselected))).singleElement().isEqualTo(
                new VipAction.Stop("web", "it does not select node node-a (any more)", true));
        assertThat(plan(deselected)).as("stopped and its entry removed: nothing more to do").isEmpty();
        reported.add("web"); // e.g. a start that failed was reported, and never ran
        assertThat(plan(deselected)).as("an entry in our report, nothing running").singleElement().isInstanceOf(VipAction.RemoveEntry.class);
    }

    @Test
    void aVipWhoseConfigurationTheOperatorWithdrewIsStoppedAndOurEntryRemoved() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE)), vip("db", resolved("198.51.100.20/24", 2, NODE))));
        assertThat(desiredVips.desired("web", null, secrets::get, null, true))
                .isEqualTo(new DesiredVip.Release("web", "the operator withdrew its configuration (the VirtualIP was deleted)", true));
        Map<String, DesiredVip> desired = new HashMap<>(desiredVips.compute(Map.of("db", vip("db", resolved("198.51.100.20/24", 2, NODE))),
                secrets::get, Map.of(), reported::contains));
        desired.put("web", desiredVips.desired("web", null, secrets::get, null, true));
        assertThat(VipSetReconciler.plan(desired, running)).singleElement()
                .isEqualTo(new VipAction.Stop("web", "the operator withdrew its configuration (the VirtualIP was deleted)", true));
    }

    @Test
    void aVipGoneFromTheCacheIsStoppedWithoutTouchingItsStatus() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        assertThat(plan()).singleElement().isEqualTo(new VipAction.Stop("web", "the VirtualIP was deleted", false));
    }

    @Test
    void aConfigurationFromANewerOperatorWithUnknownFieldsStillRuns() {
        ConfigMap config = vip("web", resolved("198.51.100.10/24", 1, NODE));
        String json = config.getData().get(io.carpoperator.api.AgentConfig.DATA_KEY);
        config.setData(Map.of(io.carpoperator.api.AgentConfig.DATA_KEY, json.replaceFirst("\\{", "{\"futureKnob\":{\"x\":1},")));
        assertThat(plan(config)).singleElement().isInstanceOf(VipAction.Start.class);
    }

    @Test
    void anUnreadableConfigurationKeepsWhatRunsAndSaysWhy() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        ConfigMap config = vip("web", resolved("198.51.100.10/24", 1, NODE));
        String json = config.getData().get(io.carpoperator.api.AgentConfig.DATA_KEY);
        config.setData(Map.of(io.carpoperator.api.AgentConfig.DATA_KEY, json.replace("\"ICMP\"", "\"TCP\"")));
        assertThat(plan(config)).singleElement().isInstanceOfSatisfying(VipAction.Keep.class, keep -> {
            assertThat(keep.running()).isTrue();
            assertThat(keep.reason()).startsWith("its configuration cannot be read").contains("TCP");
        });
    }

    @Test
    void aMissingSecretKeepsTheRunningConfiguration() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        VipSettings before = running.get("web");
        secrets.clear();
        var edited = resolved("198.51.100.10/24", 1, NODE);
        edited.preempt = true;
        assertThat(apply(plan(vip("web", edited)))).singleElement()
                .isEqualTo(new VipAction.Keep("web", "Secret 'carp-password' not found in namespace carp-agents", true));
        assertThat(running.get("web")).isSameAs(before);
    }

    @Test
    void aMissingSecretStartsNothingAndSaysWhy() {
        secrets.clear();
        assertThat(plan(vip("web", resolved("198.51.100.10/24", 1, NODE)))).singleElement()
                .isEqualTo(new VipAction.Keep("web", "Secret 'carp-password' not found in namespace carp-agents", false));
    }

    @Test
    void anInvalidResolvedBlockIsIgnoredAndTheLastGoodOneKeepsRunning() {
        apply(plan(vip("web", resolved("198.51.100.10/24", 1, NODE))));
        assertThat(plan(vip("web", resolved("198.51.100.10", 1, NODE)))).singleElement()
                .isInstanceOfSatisfying(VipAction.Keep.class, keep -> assertThat(keep.reason())
                        .startsWith("status.resolved.address: '198.51.100.10' has no prefix length"));
        ConfigMap noResolved = vip("web", null);
        assertThat(plan(noResolved)).singleElement().isEqualTo(new VipAction.Keep("web", "status.resolved is missing", true));
    }

    @Test
    void stopsComeBeforeStartsSoAFreedVhidCanBeReused() {
        apply(plan(vip("old", resolved("198.51.100.10/24", 1, NODE))));
        List<VipAction> actions = plan(vip("a-new", resolved("198.51.100.11/24", 1, NODE)));
        assertThat(actions).extracting(a -> a.getClass().getSimpleName() + " " + a.name()).containsExactly("Stop old", "Start a-new");
    }
    private static VipSettings settings(String name, int vhid, String password, List<String> peers) {
        return new VipSettings(name, "198.51.100.10", 24, "eth0", null, vhid, false, 1, 0, password, false, peers, List.of(),
                List.of(), java.util.Set.of(io.carpoperator.watchdog.ProbeKind.ICMP), java.time.Duration.ofSeconds(1), 2, 2,
                java.time.Duration.ZERO);
    }

    @Test
    void actionsComeStopsAndEntryRemovalsFirstThenRestartsThenInPlaceChangesThenStartsThenKeeps() {
        Map<String, DesiredVip> desired = new HashMap<>();
        Map<String, VipSettings> runningNow = new HashMap<>();
        desired.put("a", new DesiredVip.KeepLast("a", "the Secret is missing"));
        desired.put("b", new DesiredVip.Run("b", settings("b", 2, "s3cret", List.of())));
        desired.put("c", new DesiredVip.Run("c", settings("c", 3, "new", List.of())));
        runningNow.put("c", settings("c", 3, "old", List.of()));
        desired.put("d", new DesiredVip.Run("d", settings("d", 4, "s3cret", List.of("198.51.100.13"))));
        runningNow.put("d", settings("d", 4, "s3cret", List.of("198.51.100.12")));
        desired.put("e", new DesiredVip.Run("e", settings("e", 6, "s3cret", List.of())));
        runningNow.put("e", settings("e", 5, "s3cret", List.of()));
        desired.put("f", new DesiredVip.Release("f", "not for this node", true));
        runningNow.put("g", settings("g", 7, "s3cret", List.of()));

        assertThat(VipSetReconciler.plan(desired, runningNow)).extracting(a -> a.getClass().getSimpleName() + " " + a.name())
                .containsExactly("RemoveEntry f", "Stop g", "Restart e", "Retune c", "UpdateTargets d", "Start b", "Keep a");
    }
}
