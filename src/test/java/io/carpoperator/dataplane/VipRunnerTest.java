package io.carpoperator.dataplane;

import static io.carpoperator.dataplane.VipSettingsFixtures.retuned;
import static io.carpoperator.dataplane.VipSettingsFixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.carp.AddressHooks;
import io.carpoperator.carp.CommandRunner;
import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpInstance;
import io.carpoperator.carp.UcarpState;
import io.carpoperator.testing.ManualScheduler;
import io.carpoperator.testing.PrometheusSamples;
import io.carpoperator.watchdog.ProbeKind;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.Prober;
import io.carpoperator.watchdog.TargetRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's orchestration with a fake ucarp, fake ip/arping and fake probes; time driven by the test. */
class VipRunnerTest {

    private static final String VIP = "198.51.100.10";
    private static final String REMOVE_VIP = "ip addr del 198.51.100.10/24 dev eth0";
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path runDir;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeNode node = new FakeNode();
    private final List<FakeUcarp> launched = new ArrayList<>();
    private final Set<String> unreachable = new HashSet<>();
    private final List<VipReport> reports = new CopyOnWriteArrayList<>();
    private final AgentMetrics metrics = new AgentMetrics();
    private boolean helperTakesOver = true;

    private final FakeLinks links = new FakeLinks();
    private final Prober prober = (target, deadline) -> CompletableFuture.completedFuture(
            unreachable.contains(target.address())
                    ? ProbeResult.failed(target, "exit 1: no reply")
                    : ProbeResult.answered(target, Duration.ofMillis(1)));

    /** ip and arping against an eth0 with 198.51.100.11/24, a default route, and the VIP while it is "added". */
    private static final class FakeNode implements CommandRunner {
        final List<String> commands = new CopyOnWriteArrayList<>();
        volatile boolean vipHeld;

        @Override
        public Result run(List<String> argv) {
            String command = String.join(" ", argv);
            commands.add(command);
            if (command.startsWith("ip -4 -o addr show")) {
                String lines = "2: eth0    inet 198.51.100.11/24 brd 198.51.100.255 scope global eth0\n";
                if (vipHeld) {
                    lines += "2: eth0    inet 198.51.100.10/24 scope global secondary eth0\n";
                }
                return new Result(0, lines, "");
            }
            if (command.startsWith("ip -4 route show default")) {
                return new Result(0, "default via 198.51.100.1 dev eth0\n", "");
            }
            if (command.contains(AddressHooks.DOWN_NAME + " eth0 198.51.100.10")) {
                vipHeld = false;
                return new Result(0, "", "");
            }
            if (command.equals(REMOVE_VIP)) {
                boolean was = vipHeld;
                vipHeld = false;
                return was ? new Result(0, "", "") : new Result(2, "", "RTNETLINK answers: Cannot assign requested address");
            }
            return new Result(0, "", "");
        }

        long count(String prefix) {
            return commands.stream().filter(c -> c.startsWith(prefix)).count();
        }
    }

    private final class FakeUcarp implements UcarpInstance {
        final List<String> argv;
        final Listener listener;
        UcarpState state = UcarpState.INIT;
        boolean alive = true;
        boolean killed;

        FakeUcarp(List<String> argv, Listener listener) {
            this.argv = argv;
            this.listener = listener;
        }

        boolean isHelper() {
            return argv.contains("-n");
        }

        void switchTo(UcarpState next) {
            state = next;
            if (next == UcarpState.MASTER && !isHelper()) {
                node.vipHeld = true;
            }
            listener.onEvent(new UcarpEvent.StateChanged(next));
        }

        void say(UcarpEvent event) {
            listener.onEvent(event);
        }

        void exit(int code) {
            alive = false;
            listener.onGone(code);
            listener.onExit(code);
        }

        @Override
        public long pid() {
            return 4000 + launched.indexOf(this);
        }

        @Override
        public UcarpState state() {
            return state;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void demote() {
        }

        @Override
        public boolean stop(Duration grace) {
            killed = true; // SIGKILL: ucarp is shielded from SIGTERM; the supervisor runs the down hook
            alive = false;
            return true;
        }

        @Override
        public void kill() {
            killed = true;
            alive = false;
        }
    }

    private final UcarpInstance.Launcher launcher = (label, argv, listener) -> {
        FakeUcarp ucarp = new FakeUcarp(argv, listener);
        launched.add(ucarp);
        if (ucarp.isHelper()) {
            ucarp.switchTo(UcarpState.BACKUP);
            ucarp.switchTo(UcarpState.MASTER);
            if (helperTakesOver) {
                node.vipHeld = false; // its down hook, after the backup's advert
                ucarp.switchTo(UcarpState.BACKUP);
            }
        }
        return ucarp;
    };

    private DataPlaneEnvironment env() {
        return new DataPlaneEnvironment(runDir, List.of("ip", "netns", "exec", "n1"), node, launcher, prober, links, scheduler,
                scheduler.clock(), metrics);
    }

    private static VipSettings settings(String iface, boolean isolation, Duration garp) {
        return new VipSettings("web", VIP, 24, iface, null, 99, false, 1, 0, "secret", isolation,
                List.of("198.51.100.12"), List.of("203.0.113.12"), List.of(), Set.of(ProbeKind.ICMP), INTERVAL, 2, 2, garp);
    }

    private VipRunner start(VipSettings settings) {
        VipRunner runner = VipRunner.start(settings, reports::add, env());
        scheduler.runDueTasks();
        return runner;
    }

    private FakeUcarp ucarp() {
        return launched.stream().filter(u -> !u.isHelper()).reduce((a, b) -> b).orElseThrow();
    }

    private List<NodeState> states() {
        List<NodeState> states = new ArrayList<>();
        for (VipReport report : reports) {
            if (states.isEmpty() || states.get(states.size() - 1) != report.state()) {
                states.add(report.state());
            }
        }
        return states;
    }

    @Test
    void resolvesInterfaceSourceAndGatewayWritesA0600PassfileAndRunsUcarpBehindThePrefix() throws IOException {
        VipRunner runner = start(settings(null, true, Duration.ZERO));

        assertThat(runner.interfaceName()).isEqualTo("eth0");
        assertThat(runner.report().address()).isEqualTo("198.51.100.11");
        Path passfile = runDir.resolve("web-vhid99.pass");
        assertThat(Files.readString(passfile)).isEqualTo("secret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passfile))).isEqualTo("rw-------");
        assertThat(ucarp().argv).startsWith("ip", "netns", "exec", "n1", "ucarp")
                .contains("-i", "eth0", "-s", "198.51.100.11", "-v", "99", "-a", VIP, "-z", "-x", "24")
                .doesNotContain("-p", "secret");
        assertThat(runner.probeTargets()).extracting(ProbeTarget::role, ProbeTarget::address).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TargetRole.PEER, "198.51.100.12"),
                org.assertj.core.groups.Tuple.tuple(TargetRole.ISOLATION_HOST, "198.51.100.1"),
                org.assertj.core.groups.Tuple.tuple(TargetRole.HEARTBEAT, "203.0.113.12"));
    }

    @Test
    void reportsUcarpStatesAndCountsTransitions() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);
        ucarp().switchTo(UcarpState.MASTER);

        assertThat(runner.report().state()).isEqualTo(NodeState.MASTER);
        assertThat(runner.report().reason()).isEqualTo("ucarp switched to MASTER");
        assertThat(states()).containsExactly(NodeState.BACKUP, NodeState.MASTER);
        assertThat(PrometheusSamples.parse(metrics.render()).value("carp_vip_transitions_total", "vip", "web", "to", "MASTER")).hasValue(1);
    }

    @Test
    void withdrawsAfterTheHoldLimitWithTheReasonAndRejoinsWhenTheGatewayAnswersAgain() {
        VipRunner runner = start(settings("eth0", true, Duration.ZERO));
        ucarp().switchTo(UcarpState.MASTER);
        unreachable.addAll(List.of("198.51.100.12", "198.51.100.1"));

        scheduler.advance(INTERVAL);
        assertThat(runner.report().state()).isEqualTo(NodeState.MASTER);
        scheduler.advance(INTERVAL);

        VipReport isolated = runner.report();
        assertThat(isolated.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(isolated.reason()).startsWith("withdrawn: isolated 2/2: peer 198.51.100.12 unreachable")
                .contains("heartbeat 203.0.113.12 ok");
        assertThat(ucarp().isAlive()).isFalse();
        assertThat(node.vipHeld).isFalse();
        int ucarpsBefore = launched.size();

        unreachable.remove("198.51.100.1"); // the peer stays dead: the gateway alone lets us rejoin
        scheduler.advance(INTERVAL);
        assertThat(runner.report().state()).isEqualTo(NodeState.ISOLATED);
        scheduler.advance(INTERVAL);

        assertThat(launched).hasSize(ucarpsBefore + 1);
        assertThat(runner.report().state()).isEqualTo(NodeState.INIT);
        assertThat(runner.report().reason()).startsWith("rejoining CARP: recovering 2/2");
        ucarp().switchTo(UcarpState.BACKUP);
        assertThat(states()).containsSubsequence(NodeState.MASTER, NodeState.ISOLATED, NodeState.INIT, NodeState.BACKUP);
    }

    @Test
    void failsWithUcarpsOwnErrorWhenItCannotStartAndRecoversOnceItJoins() {
        VipRunner runner = start(settings("eth9", false, Duration.ZERO));
        ucarp().say(new UcarpEvent.Other("ERROR", "Unable to find MAC address of [eth9]"));
        ucarp().exit(2);

        assertThat(runner.report().state()).isEqualTo(NodeState.FAILED);
        assertThat(runner.report().reason()).isEqualTo(
                "ucarp exited with code 2 (Unable to find MAC address of [eth9]), restarting in 5000ms");

        scheduler.advance(VipRunner.firstRestartDelay(1));
        ucarp().switchTo(UcarpState.BACKUP);
        assertThat(runner.report().state()).isEqualTo(NodeState.BACKUP);
        assertThat(runner.report().ucarpRestarts()).isEqualTo(1);
    }

    @Test
    void aKilledMasterIsRestartedAfterTheBackupsHadTimeToTakeOver() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.MASTER);
        ucarp().exit(137);

        assertThat(runner.report().state()).isEqualTo(NodeState.INIT);
        assertThat(runner.report().reason()).isEqualTo("ucarp exited with code 137, restarting in 5000ms");
        assertThat(node.vipHeld).as("a SIGKILLed ucarp leaves the address; the supervisor removes it").isFalse();
        scheduler.advance(Duration.ofMillis(4900));
        assertThat(launched).hasSize(1);
        scheduler.advance(Duration.ofMillis(100));
        assertThat(launched).hasSize(2);
    }

    @Test
    void backsOffWhenAnotherNodesAdvertsFailAuthenticationWhileNotMasterAndRetriesLater() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);
        ucarp().say(new UcarpEvent.AuthenticationFailed("Bad digest - md2=[1] md=[2] - Check vhid, password and virtual IP address"));
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE); // the wire watch's verdict on the same advert
        scheduler.runDueTasks();

        assertThat(runner.report().state()).isEqualTo(NodeState.FAILED);
        assertThat(runner.report().reason()).contains("different password or virtual address");
        assertThat(ucarp().isAlive()).isFalse();

        scheduler.advance(VipRunner.AUTHENTICATION_RETRY);
        assertThat(launched).hasSize(2);
        assertThat(runner.report().state()).isEqualTo(NodeState.INIT);
    }

    /** An advert for vhid 99 on eth0 from {@code source} whose digest matches no password of ours. */
    private static io.carpoperator.wire.CarpAdvert unauthenticAdvert(String source) {
        return new io.carpoperator.wire.CarpAdvert("eth0", source, 255, 2, 1, 99, 0, 1, 42L, new byte[20], true);
    }

    @Test
    void aBackupKeepsTakingPartAndReportsTheSenderWhenAnotherSpeakerUsesItsVhid() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);

        links.play(unauthenticAdvert("198.51.100.77"));
        ucarp().say(new UcarpEvent.AuthenticationFailed("Bad digest - md2=[1] md=[2] - Check vhid, password and virtual IP address"));
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE);

        assertThat(runner.report().state()).as("no back-off from a speaker that is not a peer").isEqualTo(NodeState.BACKUP);
        assertThat(ucarp().isAlive()).isTrue();
        assertThat(launched).hasSize(1);
        assertThat(runner.report().conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.kind()).isEqualTo(WireConflict.Kind.FOREIGN_ADVERT);
            assertThat(conflict.sender()).isEqualTo("198.51.100.77");
            assertThat(conflict.vhid()).isEqualTo(99);
        });
    }

    @Test
    void aBackupBacksOffWhenTheUnauthenticAdvertsComeFromAPeerAndReportsNoConflict() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);

        links.play(unauthenticAdvert("198.51.100.12"));
        ucarp().say(new UcarpEvent.AuthenticationFailed("Bad digest - md2=[1] md=[2] - Check vhid, password and virtual IP address"));
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE);

        assertThat(runner.report().state()).as("our own node on another password: stand back").isEqualTo(NodeState.FAILED);
        assertThat(runner.report().conflicts()).isEmpty();
    }

    @Test
    void aForeignSpeakerNotHeardForThirtySecondsIsNoLongerReported() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);
        links.play(unauthenticAdvert("198.51.100.77"));
        scheduler.advance(WireWatch.FOREIGN_FORGOTTEN_AFTER.minusSeconds(1));
        assertThat(runner.report().conflicts()).hasSize(1);

        scheduler.advance(Duration.ofSeconds(2));

        assertThat(runner.report().conflicts()).isEmpty();
    }

    @Test
    void aMasterReportsAnotherMacAnsweringForItsVipTwiceInARowAndStopsWhenItIsGone() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.MASTER);
        links.otherOwners = List.of("02:00:00:00:00:99");

        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        assertThat(runner.report().conflicts()).as("one sighting may be a handover's overlap").isEmpty();
        scheduler.advance(WireWatch.OWNER_RECHECK);

        assertThat(runner.report().conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.kind()).isEqualTo(WireConflict.Kind.DUPLICATE_OWNER);
            assertThat(conflict.senderMac()).isEqualTo("02:00:00:00:00:99");
        });
        assertThat(links.ownerQuestions).allMatch(q -> q.equals("eth0 198.51.100.10"));

        links.otherOwners = List.of();
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        assertThat(runner.report().conflicts()).isEmpty();
    }

    @Test
    void aBackupNeverAsksWhoElseOwnsTheVip() {
        start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);
        links.otherOwners = List.of("02:00:00:00:00:99");

        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.multipliedBy(3));

        assertThat(links.ownerQuestions).isEmpty();
    }

    @Test
    void aMasterKeepsTheVipWhenForeignAdvertsFailAuthentication() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.MASTER);
        ucarp().say(new UcarpEvent.AuthenticationFailed("Bad digest"));
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE); // the wire watch's verdict on the same advert
        scheduler.runDueTasks();

        assertThat(runner.report().state()).isEqualTo(NodeState.MASTER);
        assertThat(ucarp().isAlive()).isTrue();
    }

    @Test
    void repeatsGratuitousArpOnlyWhileMaster() {
        start(settings("eth0", false, Duration.ofSeconds(10)));
        ucarp().switchTo(UcarpState.BACKUP);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(node.count("arping -U")).isZero();

        ucarp().switchTo(UcarpState.MASTER);
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(node.count("arping -U -c 1 -I eth0 198.51.100.10")).isEqualTo(3);
    }

    @Test
    void repeatsGratuitousArpThroughTheNodesWireHelperWithoutAProcessWhileItRuns() {
        links.canAnnounce = true;
        start(settings("eth0", false, Duration.ofSeconds(10)));
        ucarp().switchTo(UcarpState.MASTER);

        scheduler.advance(Duration.ofSeconds(30));

        assertThat(links.announced).containsExactly("eth0 198.51.100.10", "eth0 198.51.100.10", "eth0 198.51.100.10");
        assertThat(node.count("arping -U")).isZero();
    }

    @Test
    void stopWithoutHandoverReleasesTheAddress() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.MASTER);
        runner.stop(false);

        assertThat(node.vipHeld).isFalse();
        assertThat(launched).hasSize(1);
        assertThat(runner.report().state()).isEqualTo(NodeState.INIT);
        assertThat(runner.report().reason()).isEqualTo("stopped");
        assertThat(runDir.resolve("web-vhid99.pass")).doesNotExist();
    }

    @Test
    void gracefulStopOfAMasterRunsTheHelperThenKillsTheFrozenMaster() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        FakeUcarp master = ucarp();
        master.switchTo(UcarpState.MASTER);

        runner.stop(true);

        FakeUcarp helper = launched.get(1);
        assertThat(helper.isHelper()).isTrue();
        assertThat(helper.argv).startsWith("ip", "netns", "exec", "n1", "ucarp")
                .containsSequence("-b", "3", "-k", "255").contains("-n").endsWith("-r", "1").doesNotContain("-P");
        assertThat(master.killed).as("frozen by the helper's up hook, so SIGKILL, not SIGTERM").isTrue();
        assertThat(helper.killed).isTrue();
        assertThat(node.vipHeld).isFalse();
        assertThat(runner.report().reason()).isEqualTo("stopped after handing the VIP over to a backup");
    }

    @Test
    void gracefulStopSoonAfterUcarpDiedAsMasterStillRunsTheHelperSoABackupTakesOverAtOnce() throws Exception {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        FakeUcarp master = ucarp();
        master.switchTo(UcarpState.MASTER);
        master.exit(137);
        assertThat(node.vipHeld).as("the supervisor removed the address the moment ucarp was gone").isFalse();

        runner.stop(true);

        assertThat(launched).hasSize(2);
        FakeUcarp helper = launched.get(1);
        assertThat(helper.isHelper()).isTrue();
        assertThat(java.nio.file.Files.list(runDir).map(Object::toString).toList()).as("helper hooks cleaned up")
                .noneMatch(f -> f.endsWith(GracefulHandover.UP_SUFFIX));
        assertThat(runner.report().reason()).isEqualTo("stopped after handing the VIP over to a backup"
                + " (ucarp had already exited as master)");
    }

    @Test
    void aStopWithoutBudgetForAHandoverStopsThePlainWay() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.MASTER);

        runner.stop(true, Duration.ofSeconds(2));

        assertThat(launched).as("no helper: it needs one period, a second and the cleanup").hasSize(1);
        assertThat(node.vipHeld).isFalse();
        assertThat(runner.report().reason()).startsWith("stopped without a fast handover");
    }

    @Test
    void gracefulStopOfABackupJustStops() {
        VipRunner runner = start(settings("eth0", false, Duration.ZERO));
        ucarp().switchTo(UcarpState.BACKUP);
        runner.stop(true);

        assertThat(launched).as("no handover helper for a backup").hasSize(1);
        assertThat(ucarp().isAlive()).isFalse();
        assertThat(node.count(runDir.resolve(AddressHooks.DOWN_NAME).toString())).as("a backup holds no address: no down hook")
                .isZero();
        assertThat(runner.report().reason()).isEqualTo("stopped");
    }

    // ---- hitless changes ----------------------------------------------------------------------------------------

    private static final VipSettings PLAIN = settings("eth0", false, Duration.ZERO);

    /** A runner whose ucarp is in {@code state} when the password changes to "n3w". */
    private VipRunner rotatedAs(UcarpState state) {
        VipRunner runner = start(PLAIN);
        ucarp().switchTo(state);
        runner.retune(withPassword(PLAIN, "n3w"));
        return runner;
    }

    private String passfile() throws IOException {
        return Files.readString(runDir.resolve("web-vhid99.pass"));
    }

    private long ucarps() {
        return launched.stream().filter(u -> !u.isHelper()).count();
    }

    private static final UcarpEvent BAD_DIGEST = new UcarpEvent.AuthenticationFailed("Bad digest - md2=[1] md=[2]");

    @Test
    void newProbeIntervalHoldLimitAndGratuitousArpIntervalApplyWithoutRestartingUcarp() {
        VipSettings first = settings("eth0", true, Duration.ofSeconds(10));
        VipRunner runner = start(first);
        ucarp().switchTo(UcarpState.MASTER);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(node.count("arping -U")).isEqualTo(1);

        assertThat(runner.retune(retuned(first, true, Duration.ofSeconds(2), 3, Duration.ofSeconds(1)))).isTrue();
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(node.count("arping -U")).as("every second now").isEqualTo(4);

        unreachable.addAll(List.of("198.51.100.12", "198.51.100.1"));
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(runner.report().state()).as("2 rounds at 2 s, hold limit now 3").isEqualTo(NodeState.MASTER);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(runner.report().state()).isEqualTo(NodeState.ISOLATED);
        assertThat(runner.report().reason()).startsWith("withdrawn: isolated 3/3");
        assertThat(ucarps()).as("the same ucarp all along, until the watchdog withdrew it").isEqualTo(1);
    }

    @Test
    void turningIsolationOffRejoinsAWithdrawnNodeAndTurningItOnStartsProbing() {
        VipSettings first = settings("eth0", true, Duration.ZERO);
        VipRunner runner = start(first);
        ucarp().switchTo(UcarpState.MASTER);
        unreachable.addAll(List.of("198.51.100.12", "198.51.100.1"));
        scheduler.advance(INTERVAL.multipliedBy(2));
        assertThat(runner.report().state()).isEqualTo(NodeState.ISOLATED);

        runner.retune(retuned(first, false, INTERVAL, 2, Duration.ZERO));
        scheduler.runDueTasks();
        assertThat(runner.report().reason()).isEqualTo("rejoining CARP: isolation turned off");
        assertThat(ucarps()).isEqualTo(2);
        ucarp().switchTo(UcarpState.MASTER);
        scheduler.advance(INTERVAL.multipliedBy(5));
        assertThat(runner.report().state()).as("no watchdog any more").isEqualTo(NodeState.MASTER);

        runner.retune(first);
        scheduler.advance(INTERVAL.multipliedBy(2));
        assertThat(runner.report().state()).as("probing again").isEqualTo(NodeState.ISOLATED);
    }

    @Test
    void aChangeOnUcarpsCommandLineIsRefusedSoTheCallerRestarts() {
        VipSettings first = settings("eth0", false, Duration.ZERO);
        VipRunner runner = start(first);
        VipSettings otherSkew = new VipSettings("web", VIP, 24, "eth0", null, 99, false, 1, 10, "secret", false,
                first.peers(), first.heartbeats(), List.of(), first.probes(), INTERVAL, 2, 2, Duration.ZERO);
        assertThat(runner.retune(otherSkew)).isFalse();
    }

    @Test
    void aBackupStandsAsideWhileTheMasterSwitchesThenRejoinsOnTheNewPasswordAndBacksOffBrieflyFromALaggingMaster()
            throws IOException {
        VipRunner runner = rotatedAs(UcarpState.BACKUP);
        scheduler.runDueTasks();
        assertThat(passfile()).isEqualTo("n3w\n");
        assertThat(launched.get(0).isAlive()).as("not competing while the master switches").isFalse();
        assertThat(ucarps()).isEqualTo(1);
        assertThat(runner.report().reason()).startsWith("password rotation: standing aside").contains("rejoining in 9s");
        assertThat(runner.report().state()).as("expected during a rotation: not a failure").isEqualTo(NodeState.INIT);
        assertThat(PasswordRotation.backupHold(1)).as("the master's grace, its master-down timer, a period and a second")
                .isEqualTo(PasswordRotation.masterGrace(1).plusSeconds(5));

        scheduler.advance(PasswordRotation.backupHold(1).minusMillis(1));
        assertThat(ucarps()).isEqualTo(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(ucarps()).as("back on the new password").isEqualTo(2);

        ucarp().switchTo(UcarpState.BACKUP);
        ucarp().say(BAD_DIGEST); // a master that lagged behind, still on the old password
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE); // the wire watch's verdict on the same advert
        scheduler.runDueTasks();
        assertThat(runner.report().reason()).startsWith("password rotation:").contains("retrying in 1s");
        assertThat(runner.report().state()).isEqualTo(NodeState.INIT);
        assertThat(ucarp().isAlive()).isFalse();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(ucarps()).as("back after one advert period, not 30 s").isEqualTo(3);

        scheduler.advance(PasswordRotation.WINDOW);
        ucarp().switchTo(UcarpState.BACKUP);
        ucarp().say(BAD_DIGEST);
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE); // the wire watch's verdict on the same advert
        scheduler.runDueTasks();
        assertThat(runner.report().reason()).as("the rotation is over").contains("retrying in 30s");
        assertThat(runner.report().state()).isEqualTo(NodeState.FAILED);
    }

    @Test
    void aMasterKeepsTheVipForTheGraceThenRestartsOntoTheNewPasswordWithoutAHandover() throws IOException {
        VipRunner runner = rotatedAs(UcarpState.MASTER);
        FakeUcarp master = ucarp();
        scheduler.advance(PasswordRotation.masterGrace(1).minusMillis(1));
        assertThat(master.isAlive()).isTrue();
        assertThat(node.vipHeld).isTrue();
        assertThat(passfile()).as("a handover now would still use the backups' old password").isEqualTo("secret\n");

        scheduler.advance(Duration.ofMillis(1));
        assertThat(PasswordRotation.masterGrace(1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(master.isAlive()).isFalse();
        assertThat(node.vipHeld).isFalse();
        assertThat(passfile()).isEqualTo("n3w\n");
        assertThat(launched).as("no helper: old- and new-password nodes cannot hear each other").hasSize(2);
        assertThat(ucarp().isHelper()).isFalse();
        assertThat(runner.report().state()).isEqualTo(NodeState.INIT);
    }

    @Test
    void aSecondPasswordChangeDuringTheGraceDoesNotExtendIt() throws IOException {
        VipRunner runner = rotatedAs(UcarpState.MASTER);
        scheduler.advance(Duration.ofSeconds(3));
        runner.retune(withPassword(PLAIN, "n3wer"));
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(ucarps()).isEqualTo(2);
        assertThat(passfile()).isEqualTo("n3wer\n");
    }

    @Test
    void aMasterInRotationYieldsToOldPasswordAdvertsSoALaggingNodeNeverMeetsASecondMaster() {
        VipRunner runner = rotatedAs(UcarpState.MASTER);
        scheduler.advance(PasswordRotation.masterGrace(1));

        ucarp().switchTo(UcarpState.MASTER); // a lagging node took the VIP on the old password at the same time
        ucarp().say(BAD_DIGEST);
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE); // the wire watch's verdict on the same advert
        scheduler.runDueTasks();

        assertThat(ucarp().isAlive()).isFalse();
        assertThat(node.vipHeld).isFalse();
        assertThat(runner.report().reason()).startsWith("password rotation:");
    }

    @Test
    void aBackupBackingOffFromForeignAdvertsRejoinsOnANewPasswordAfterTheHoldNotAfterThirtySeconds() {
        VipSettings first = settings("eth0", false, Duration.ZERO);
        VipRunner runner = start(first);
        ucarp().switchTo(UcarpState.BACKUP);
        ucarp().say(BAD_DIGEST);
        scheduler.advance(VipRunner.FOREIGN_ADVERT_SETTLE); // the wire watch's verdict on the same advert
        scheduler.runDueTasks();
        assertThat(ucarp().isAlive()).isFalse();
        assertThat(runner.report().state()).isEqualTo(NodeState.FAILED);

        runner.retune(withPassword(first, "n3w"));
        scheduler.runDueTasks();
        assertThat(runner.report().state()).as("a rotation now, not a foreign node").isEqualTo(NodeState.INIT);
        scheduler.advance(PasswordRotation.backupHold(1));
        assertThat(ucarps()).isEqualTo(2);
        assertThat(ucarp().isAlive()).isTrue();
    }

    @Test
    void aStopDuringTheMastersGraceCancelsTheRotation() {
        VipRunner runner = rotatedAs(UcarpState.MASTER);
        runner.stop(false);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(ucarps()).isEqualTo(1);
    }
}
