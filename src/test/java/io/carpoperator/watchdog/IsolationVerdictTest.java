package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsolationVerdictTest {

    @ParameterizedTest(name = "peer {0}, heartbeat {1}, isolation host {2} -> {3}")
    @CsvSource({
            // every row of the seed's table, all three roles configured
            "fail, ok,   fail, ISOLATED",
            "fail, ok,   ok,   HEALTHY",
            "ok,   ok,   fail, HEALTHY",
            "ok,   ok,   ok,   HEALTHY",
            "fail, fail, fail, HEALTHY",
            "fail, fail, ok,   HEALTHY",
            "ok,   fail, fail, HEALTHY",
            "ok,   fail, ok,   HEALTHY",
            // no heartbeat configured: nothing proves the peer alive, so the isolation hosts decide
            "fail, -,    fail, ISOLATED",
            "ok,   -,    fail, HEALTHY",
            "fail, -,    ok,   HEALTHY",
            // only a peer, and it is silent: it may just have died; withdrawing would leave nobody with the address
            "fail, -,    -,    HEALTHY",
            "-,    -,    fail, ISOLATED",
            // heartbeat configured but only one side of the VIP network probed
            "fail, ok,   -,    ISOLATED",
            "-,    ok,   fail, ISOLATED",
            "-,    fail, fail, HEALTHY",
            // nothing probed on the VIP network: no evidence, never isolated
            "-,    ok,   -,    HEALTHY",
            "-,    fail, -,    HEALTHY",
            "-,    -,    -,    HEALTHY",
    })
    void judgesEveryRowOfTheDecisionTable(String peer, String heartbeat, String isolationHost, IsolationVerdict expected) {
        assertThat(IsolationVerdict.judge(Rounds.round(peer, heartbeat, isolationHost))).isEqualTo(expected);
    }

    @Test
    void pingExitCodeTwoCountsAsAFailureUnlikeTheSeed() {
        ProbeTarget peer = ProbeTarget.icmp(TargetRole.PEER, Rounds.PEER);
        ProbeResult unreachable = ExecProber.interpret(peer, java.time.Duration.ofMillis(400),
                new ProbeCommandRunner.Output(2, "", "ping: connect: Network is unreachable\n", false));
        ProbeRound round = new ProbeRound(java.time.Instant.EPOCH, java.util.List.of(unreachable,
                ProbeResult.answered(ProbeTarget.icmp(TargetRole.HEARTBEAT, Rounds.HEARTBEAT), null),
                ProbeResult.failed(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, Rounds.ISOLATION_HOST), "exit 1: no reply")));

        assertThat(IsolationVerdict.judge(round)).isEqualTo(IsolationVerdict.ISOLATED);
    }

    @ParameterizedTest(name = "peer {0}, isolation host {1} -> reachable {2}")
    @CsvSource({
            "ok,   fail, true",
            "fail, ok,   true",
            "ok,   ok,   true",
            "fail, fail, false",
            "-,    ok,   true",
            "-,    -,    true",
    })
    void recoveryNeedsAPeerOrAnIsolationHost(String peer, String isolationHost, boolean reachable) {
        assertThat(IsolationVerdict.showsVipNetworkReachable(Rounds.round(peer, "ok", isolationHost))).isEqualTo(reachable);
    }
}
