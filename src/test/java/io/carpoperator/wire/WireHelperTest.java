package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.wire.WireHelper.Action;
import io.carpoperator.wire.WireHelper.Input;
import io.carpoperator.wire.WireHelper.State;
import io.carpoperator.wire.WireHelper.Transition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WireHelperTest {

    private final FakeWire wire = new FakeWire();
    private final WireHelper helper = wire.helper();
    private final Recorder recorder = new Recorder();

    {
        helper.addListener(recorder);
    }

    /** Everything a listener heard, in order. */
    static final class Recorder implements WireHelper.Listener {
        final List<String> heard = new ArrayList<>();
        final List<WireEvent> events = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();

        @Override
        public void onEvent(WireEvent event, long arrivedNanos) {
            events.add(event);
            arrivals.add(arrivedNanos);
            heard.add("event " + event.getClass().getSimpleName());
        }

        @Override
        public void onStarted() {
            heard.add("started");
        }

        @Override
        public void onStopped(String reason) {
            heard.add("stopped: " + reason);
        }
    }

    @Test
    void lifeFollowsTheTransitionTable() {
        Object[][] table = {
                {State.NEW, Input.START, State.RUNNING, Action.LAUNCH},
                {State.NEW, Input.EXITED, State.NEW, Action.NONE},
                {State.NEW, Input.RESTART_DUE, State.NEW, Action.NONE},
                {State.NEW, Input.CLOSE, State.CLOSED, Action.STOP},
                {State.RUNNING, Input.START, State.RUNNING, Action.NONE},
                {State.RUNNING, Input.EXITED, State.WAITING_TO_RESTART, Action.SCHEDULE_RESTART},
                {State.RUNNING, Input.RESTART_DUE, State.RUNNING, Action.NONE},
                {State.RUNNING, Input.CLOSE, State.CLOSED, Action.STOP},
                {State.WAITING_TO_RESTART, Input.START, State.WAITING_TO_RESTART, Action.NONE},
                {State.WAITING_TO_RESTART, Input.EXITED, State.WAITING_TO_RESTART, Action.NONE},
                {State.WAITING_TO_RESTART, Input.RESTART_DUE, State.RUNNING, Action.LAUNCH},
                {State.WAITING_TO_RESTART, Input.CLOSE, State.CLOSED, Action.STOP},
                {State.CLOSED, Input.START, State.CLOSED, Action.NONE},
                {State.CLOSED, Input.EXITED, State.CLOSED, Action.NONE},
                {State.CLOSED, Input.RESTART_DUE, State.CLOSED, Action.NONE},
                {State.CLOSED, Input.CLOSE, State.CLOSED, Action.NONE},
        };
        assertThat(table.length).isEqualTo(State.values().length * Input.values().length);
        for (Object[] row : table) {
            assertThat(WireHelper.next((State) row[0], (Input) row[1]))
                    .as("%s + %s", row[0], row[1])
                    .isEqualTo(new Transition((State) row[2], (Action) row[3]));
        }
    }

    @Test
    void startingLaunchesOneHelperAndTellsListeners() {
        helper.start();
        helper.start();

        assertThat(wire.started).hasSize(1);
        assertThat(helper.state()).isEqualTo(State.RUNNING);
        assertThat(helper.pid()).isEqualTo(OptionalLong.of(1000));
        assertThat(recorder.heard).containsExactly("started");
    }

    @Test
    void linesReachListenersParsedWithTheTimeTheyArrived() throws IOException {
        helper.start();
        helper.send("icmp 1 198.51.100.1");
        wire.scheduler.advance(Duration.ofMillis(3));
        wire.current().line("icmp 1 198.51.100.1");
        wire.current().line("what is this");

        assertThat(wire.sent()).containsExactly("icmp 1 198.51.100.1");
        assertThat(recorder.events).containsExactly(new WireEvent.EchoReply(1, "198.51.100.1"),
                new WireEvent.Unrecognized("what is this", "unknown event 'what'"));
        assertThat(recorder.arrivals.get(0)).isEqualTo(Duration.ofMillis(3).toNanos());
    }

    @Test
    void anExitTellsListenersWhyAndRestartsAfterADoublingBackoff() {
        helper.start();
        wire.current().stderr("Can't locate Socket.pm in @INC");
        wire.current().exit(2);

        assertThat(helper.state()).isEqualTo(State.WAITING_TO_RESTART);
        assertThat(recorder.heard).containsExactly("started",
                "stopped: the wire helper for node test-1 exited with code 2 (Can't locate Socket.pm in @INC)");
        assertThat(wire.scheduler.pendingDelays()).containsExactly(Duration.ofMillis(500));

        wire.scheduler.advance(Duration.ofMillis(500));
        assertThat(wire.started).hasSize(2);
        assertThat(helper.state()).isEqualTo(State.RUNNING);
        assertThat(helper.restarts()).isEqualTo(1);

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            wire.current().exit(1);
            delays.add(wire.scheduler.pendingDelays().get(0));
            wire.scheduler.advance(delays.get(i));
        }
        assertThat(delays).extracting(Duration::toMillis)
                .containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    }

    @Test
    void theBackoffStartsAgainAtHalfASecondAfterAStableRun() {
        helper.start();
        wire.current().exit(1);
        wire.scheduler.advance(Duration.ofMillis(500));
        wire.current().exit(1);
        assertThat(wire.scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        wire.scheduler.advance(Duration.ofSeconds(1));

        wire.scheduler.advance(WireHelper.STABLE_RUN);
        wire.current().exit(1);

        assertThat(wire.scheduler.pendingDelays()).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void sendingWithoutARunningHelperFailsSayingWhy() {
        assertThatThrownBy(() -> helper.send("listen eth0")).isInstanceOf(IOException.class)
                .hasMessage("the wire helper for node test-1 has not been started");
        helper.start();
        wire.current().exit(9);
        assertThatThrownBy(() -> helper.send("listen eth0")).isInstanceOf(IOException.class)
                .hasMessage("the wire helper for node test-1 exited with code 9 and is waiting to restart");
        helper.close();
        assertThatThrownBy(() -> helper.send("listen eth0")).isInstanceOf(IOException.class)
                .hasMessage("the wire helper for node test-1 is closed");
    }

    @Test
    void aBrokenPipeFailsTheSendNamingTheNode() {
        helper.start();
        wire.current().brokenPipe = true;

        assertThatThrownBy(() -> helper.send("listen eth0")).isInstanceOf(IOException.class)
                .hasMessage("cannot write to the wire helper for node test-1: Broken pipe");
    }

    @Test
    void aHelperThatCannotBeStartedIsRetriedLikeOneThatExited() {
        wire.failNextStart = new IOException("Cannot run program \"perl\": error=2, No such file or directory");
        helper.start();

        assertThat(helper.state()).isEqualTo(State.WAITING_TO_RESTART);
        assertThat(recorder.heard).containsExactly("stopped: the wire helper for node test-1 could not be started: "
                + "Cannot run program \"perl\": error=2, No such file or directory");

        wire.scheduler.advance(Duration.ofMillis(500));
        assertThat(wire.started).hasSize(1);
        assertThat(helper.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void afterARestartTheOldHelpersLinesAndExitAreIgnored() {
        helper.start();
        FakeWire.Channel old = wire.current();
        old.exit(1);
        wire.scheduler.advance(Duration.ofMillis(500));
        recorder.heard.clear();

        old.line("icmp 5 198.51.100.1");
        old.exit(1);

        assertThat(recorder.heard).isEmpty();
        assertThat(helper.state()).isEqualTo(State.RUNNING);
        assertThat(wire.scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void closingStopsTheHelperForGoodAndCancelsAPendingRestart() {
        helper.start();
        FakeWire.Channel first = wire.current();
        helper.close();

        assertThat(first.closed).isTrue();
        assertThat(recorder.heard).containsExactly("started", "stopped: the wire helper for node test-1 was closed");
        first.exit(0);
        assertThat(helper.state()).isEqualTo(State.CLOSED);
        assertThat(wire.scheduler.pendingDelays()).isEmpty();

        WireHelper other = wire.helper();
        other.start();
        wire.current().exit(1);
        other.close();
        wire.scheduler.advance(Duration.ofMinutes(1));
        assertThat(wire.started).hasSize(2);
        assertThat(other.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void requestIdsNeverRepeatAcrossRestarts() {
        helper.start();
        long first = helper.nextRequestId();
        wire.current().exit(1);
        wire.scheduler.advance(Duration.ofMillis(500));

        assertThat(helper.nextRequestId()).isGreaterThan(first);
    }
}
