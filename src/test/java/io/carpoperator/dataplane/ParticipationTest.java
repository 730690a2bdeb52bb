package io.carpoperator.dataplane;

import static io.carpoperator.api.NodeState.BACKUP;
import static io.carpoperator.api.NodeState.FAILED;
import static io.carpoperator.api.NodeState.INIT;
import static io.carpoperator.api.NodeState.ISOLATED;
import static io.carpoperator.api.NodeState.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.carp.UcarpState;
import io.carpoperator.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class ParticipationTest {

    /** A back-off the test sets by hand. */
    private static final class FakeBackOff implements Participation.BackOff {
        String reason;
        boolean fromForeignNode;
        boolean inRotation;

        void foreign(String why) {
            reason = why;
            fromForeignNode = true;
        }

        void rotation(String why) {
            reason = why;
            fromForeignNode = false;
        }

        @Override
        public String reason() {
            return reason;
        }

        @Override
        public boolean fromForeignNode() {
            return fromForeignNode;
        }

        @Override
        public boolean inRotation() {
            return inRotation;
        }
    }

    private final ManualScheduler time = new ManualScheduler();
    private final FakeBackOff backOff = new FakeBackOff();
    private final Participation participation = new Participation(time.clock(), backOff);

    @Test
    void startsInInitSinceItWasMade() {
        assertThat(participation.state()).isEqualTo(INIT);
        assertThat(participation.reason()).isEqualTo("starting");
        assertThat(participation.since()).isEqualTo(time.now());
    }

    @Test
    void followsUcarpAndReportsOnlyWhenTheStateChanges() {
        time.advance(Duration.ofSeconds(3));
        Participation.Step backup = participation.ucarpSwitched(UcarpState.BACKUP);
        assertThat(backup).isEqualTo(new Participation.Step(INIT, BACKUP, "ucarp switched to BACKUP", true));
        assertThat(participation.since()).isEqualTo(time.now());

        time.advance(Duration.ofSeconds(1));
        Participation.Step again = participation.noted("nothing new");
        assertThat(again).isEqualTo(new Participation.Step(BACKUP, BACKUP, "nothing new", false));
        assertThat(participation.reason()).as("kept").isEqualTo("ucarp switched to BACKUP");
        assertThat(participation.since()).as("kept").isEqualTo(time.now().minusSeconds(1));

        assertThat(participation.ucarpSwitched(UcarpState.MASTER).to()).isEqualTo(MASTER);
        assertThat(participation.isMaster()).isTrue();
        assertThat(participation.ucarpMaster()).isTrue();
    }

    /** One row: facts set on a MASTER node, the state derived from them. */
    private record Row(String facts, Consumer<Participation> events, Consumer<FakeBackOff> backOff, NodeState expected) {
    }

    @Test
    void derivesStoppingThenIsolatedThenFailedThenRotationBackOffThenUcarp() {
        Consumer<Participation> none = p -> { };
        Consumer<FakeBackOff> noBackOff = b -> { };
        Row[] rows = {
            new Row("ucarp MASTER", none, noBackOff, MASTER),
            new Row("rotation back-off", none, b -> b.rotation("rotation"), INIT),
            new Row("foreign adverts", none, b -> b.foreign("foreign"), FAILED),
            new Row("failure", p -> p.failed("broken"), noBackOff, FAILED),
            new Row("failure over rotation back-off", p -> p.failed("broken"), b -> b.rotation("rotation"), FAILED),
            new Row("withdrawn over foreign adverts", p -> p.withdrawn("isolated"), b -> b.foreign("foreign"), ISOLATED),
            new Row("withdrawn over failure", p -> {
                p.failed("broken");
                p.withdrawn("isolated");
            }, noBackOff, ISOLATED),
            new Row("stopping over withdrawn", p -> {
                p.withdrawn("isolated");
                p.stopping();
            }, b -> b.foreign("foreign"), INIT),
        };
        for (Row row : rows) {
            Participation p = new Participation(time.clock(), backOff);
            backOff.reason = null;
            backOff.fromForeignNode = false;
            p.ucarpSwitched(UcarpState.MASTER);
            row.backOff().accept(backOff);
            row.events().accept(p);
            assertThat(p.noted("derive").to()).as(row.facts()).isEqualTo(row.expected());
        }
    }

    @Test
    void aCrashBeforeTheFirstJoinIsAFailureAndTheNextJoinClearsIt() {
        participation.ucarpSaid("ucarp: Unable to find MAC address of [eth9]");
        Participation.Step crash = participation.ucarpCrashed(2, Duration.ofSeconds(5));

        assertThat(crash).isEqualTo(new Participation.Step(INIT, FAILED,
                "ucarp exited with code 2 (ucarp: Unable to find MAC address of [eth9]), restarting in 5000ms", true));
        assertThat(participation.ucarpCrashed(-1, Duration.ofMillis(250)))
                .as("the error line explains one crash only; a new FAILED reason is reported again")
                .isEqualTo(new Participation.Step(FAILED, FAILED, "ucarp could not be started, restarting in 250ms", true));

        assertThat(participation.ucarpSwitched(UcarpState.BACKUP).to()).isEqualTo(BACKUP);
    }

    @Test
    void aCrashAfterJoiningIsARestartNotAFailure() {
        participation.ucarpSwitched(UcarpState.BACKUP);
        assertThat(participation.ucarpCrashed(1, Duration.ofSeconds(5)).to()).isEqualTo(INIT);

        participation.ucarpStarting();
        assertThat(participation.ucarpCrashed(1, Duration.ofSeconds(5)).to())
                .as("the restarted ucarp never joined").isEqualTo(FAILED);
    }

    @Test
    void aStartForgetsTheJoinSoAnEarlyCrashOfTheNewUcarpFails() {
        participation.ucarpSwitched(UcarpState.BACKUP);
        participation.ucarpStopped();
        participation.ucarpStarting();

        assertThat(participation.ucarpCrashed(1, Duration.ofSeconds(5)).to()).isEqualTo(FAILED);
    }

    @Test
    void aNewFailedReasonIsReportedAgainButTheSameOneIsNot() {
        participation.failed("cannot configure ucarp: no interface");
        time.advance(Duration.ofSeconds(10));

        assertThat(participation.failed("cannot configure ucarp: no interface").report()).isFalse();
        Participation.Step other = participation.failed("cannot configure ucarp: no address");
        assertThat(other).isEqualTo(new Participation.Step(FAILED, FAILED, "cannot configure ucarp: no address", true));
        assertThat(participation.since()).isEqualTo(time.now());
    }

    @Test
    void configuredClearsAFailureAtTheNextEvent() {
        participation.failed("cannot configure ucarp: no interface");
        participation.configured();

        assertThat(participation.state()).as("not re-derived yet").isEqualTo(FAILED);
        assertThat(participation.noted("configured").to()).isEqualTo(INIT);
    }

    @Test
    void stoppingKeepsTheStateUntilStoppedWhichReportsItsReasonEvenWithoutAChange() {
        participation.ucarpSwitched(UcarpState.MASTER);
        assertThat(participation.stopping()).isTrue();
        assertThat(participation.stopping()).as("only once").isFalse();
        assertThat(participation.state()).isEqualTo(MASTER);
        assertThat(participation.isMaster()).as("no longer announcing").isFalse();
        assertThat(participation.wantsUcarp()).isFalse();

        assertThat(participation.stopped("stopped after handing the VIP over to a backup"))
                .isEqualTo(new Participation.Step(MASTER, INIT, "stopped after handing the VIP over to a backup", true));
        assertThat(participation.ucarpMaster()).isFalse();

        Participation initial = new Participation(time.clock(), backOff);
        initial.stopping();
        assertThat(initial.stopped("stopped"))
                .as("INIT to INIT, but the reason changed from starting")
                .isEqualTo(new Participation.Step(INIT, INIT, "stopped", true));
    }

    @Test
    void recordsLostMastershipOnlyWhenCrashingAsMaster() {
        participation.ucarpSwitched(UcarpState.BACKUP);
        participation.ucarpCrashed(1, Duration.ofSeconds(5));
        assertThat(participation.exitedAsMasterWithin(Duration.ofSeconds(10))).as("crashed as BACKUP").isFalse();

        participation.ucarpSwitched(UcarpState.MASTER);
        Instant crashed = time.now();
        participation.ucarpCrashed(1, Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(9));
        assertThat(participation.exitedAsMasterWithin(Duration.ofSeconds(10))).isTrue();
        time.advance(Duration.ofSeconds(1));
        assertThat(participation.exitedAsMasterWithin(Duration.ofSeconds(10))).as("10 s after %s", crashed).isFalse();

        participation.ucarpSwitched(UcarpState.BACKUP);
        participation.ucarpCrashed(1, Duration.ofSeconds(5));
        assertThat(participation.exitedAsMasterWithin(Duration.ofSeconds(20)))
                .as("a later crash as BACKUP keeps when mastership was lost").isTrue();
    }

    @Test
    void withdrawnAndRejoinedByTheWatchdog() {
        participation.ucarpSwitched(UcarpState.MASTER);
        assertThat(participation.withdrawn("isolated 2/2: peer unreachable"))
                .isEqualTo(new Participation.Step(MASTER, ISOLATED, "withdrawn: isolated 2/2: peer unreachable", true));
        assertThat(participation.wantsUcarp()).isFalse();

        participation.ucarpStopped();
        assertThat(participation.rejoined("recovering 2/2: ok"))
                .isEqualTo(new Participation.Step(ISOLATED, INIT, "rejoining CARP: recovering 2/2: ok", true));
        assertThat(participation.wantsUcarp()).isTrue();
    }

    @Test
    void turningIsolationOffRejoinsOnlyAWithdrawnNode() {
        participation.ucarpSwitched(UcarpState.BACKUP);
        assertThat(participation.isolationTurnedOff())
                .isEqualTo(new Participation.Step(BACKUP, BACKUP, "ucarp switched to BACKUP", false));

        participation.withdrawn("isolated");
        participation.ucarpStopped();
        assertThat(participation.isolationTurnedOff())
                .isEqualTo(new Participation.Step(ISOLATED, INIT, "rejoining CARP: isolation turned off", true));
    }

    @Test
    void wantsUcarpUnlessStoppingWithdrawnOrBackingOff() {
        assertThat(participation.wantsUcarp()).isTrue();

        backOff.rotation("rotation");
        assertThat(participation.wantsUcarp()).isFalse();
        backOff.reason = null;

        participation.failed("broken");
        assertThat(participation.wantsUcarp()).as("a failure restarts ucarp, it does not stop it").isTrue();

        participation.withdrawn("isolated");
        assertThat(participation.wantsUcarp()).isFalse();
        participation.rejoined("ok");

        participation.stopping();
        assertThat(participation.wantsUcarp()).isFalse();
    }

    @Test
    void backsOffFromForeignAdvertsUnlessMasterOutsideARotationOrAlreadyBackingOff() {
        assertThat(participation.backsOffFromForeignAdvert()).as("INIT").isTrue();
        participation.ucarpSwitched(UcarpState.MASTER);
        assertThat(participation.backsOffFromForeignAdvert()).as("MASTER keeps the VIP").isFalse();
        backOff.inRotation = true;
        assertThat(participation.backsOffFromForeignAdvert()).as("MASTER in a rotation").isTrue();
        backOff.rotation("rotation");
        assertThat(participation.backsOffFromForeignAdvert()).as("already backing off").isFalse();
        backOff.reason = null;
        participation.stopping();
        assertThat(participation.backsOffFromForeignAdvert()).as("stopping").isFalse();
    }
    @Test
    void exitCodeZeroIsAnExitAndOnlyANegativeCodeMeansUcarpCouldNotStart() {
        assertThat(participation.ucarpCrashed(0, Duration.ofSeconds(1)).reason()).isEqualTo("ucarp exited with code 0, restarting in 1000ms");
        assertThat(participation.ucarpCrashed(-1, Duration.ofSeconds(1)).reason()).isEqualTo("ucarp could not be started, restarting in 1000ms");
    }

    @Test
    void isStoppingOnceStoppingBegan() {
        assertThat(participation.isStopping()).isFalse();
        participation.stopping();
        assertThat(participation.isStopping()).isTrue();
    }

    @Test
    void aStepHasChangedOnlyWhenTheStateDiffers() {
        assertThat(new Participation.Step(INIT, BACKUP, "ucarp switched to BACKUP", true).changed()).isTrue();
        assertThat(new Participation.Step(FAILED, FAILED, "another reason", true).changed()).isFalse();
    }
}
