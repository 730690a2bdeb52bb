package io.carpoperator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ExecProberTest {

    // Output captured from iputils 20221126 in a network namespace.
    private static final String PING_REPLY = """
            PING 198.51.100.12 (198.51.100.12) 56(84) bytes of data.
            64 bytes from 198.51.100.12: icmp_seq=1 ttl=64 time=1.02 ms

            --- 198.51.100.12 ping statistics ---
            1 packets transmitted, 1 received, 0% packet loss, time 0ms
            rtt min/avg/max/mdev = 1.016/1.016/1.016/0.000 ms
            """;
    private static final String PING_NO_REPLY = """
            PING 198.51.100.99 (198.51.100.99) 56(84) bytes of data.

            --- 198.51.100.99 ping statistics ---
            1 packets transmitted, 0 received, 100% packet loss, time 0ms

            """;
    private static final String ARPING_REPLY = """
            ARPING 198.51.100.12 from 198.51.100.11 eth0
            Unicast reply from 198.51.100.12 [BA:E0:4E:57:B9:FD]  0.561ms
            Sent 1 probes (1 broadcast(s))
            Received 1 response(s)
            """;
    private static final String ARPING_NO_REPLY = """
            ARPING 198.51.100.99 from 198.51.100.11 eth0
            Sent 1 probes (1 broadcast(s))
            Received 0 response(s)
            """;

    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final ProbeTarget PEER_ICMP = ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12");
    private static final ProbeTarget PEER_ARP = ProbeTarget.arp(TargetRole.PEER, "198.51.100.12", "eth0");

    /** Answers every command with one canned output and remembers the command lines. */
    private static final class CannedRunner implements ProbeCommandRunner {
        final List<List<String>> commands = new ArrayList<>();
        final CompletableFuture<Output> answer;

        CannedRunner(CompletableFuture<Output> answer) {
            this.answer = answer;
        }

        CannedRunner(int exitCode, String stdout, String stderr) {
            this(CompletableFuture.completedFuture(new Output(exitCode, stdout, stderr, false)));
        }

        @Override
        public CompletableFuture<Output> run(List<String> argv, Duration deadline) {
            commands.add(argv);
            return answer;
        }
    }

    private static ProbeResult probe(CannedRunner runner, ProbeTarget target) {
        return new ExecProber(runner).probe(target, DEADLINE).join();
    }

    @Test
    void pingsOnceWithAFractionalWaitAndNoNameResolution() {
        CannedRunner runner = new CannedRunner(0, PING_REPLY, "");
        probe(runner, PEER_ICMP);

        assertThat(runner.commands).containsExactly(List.of("ping", "-n", "-c", "1", "-W", "0.4", "198.51.100.12"));
    }

    @Test
    void arpingsOnceWithTheWaitRoundedUpToWholeSecondsBecauseArpingRejectsFractions() {
        CannedRunner runner = new CannedRunner(0, ARPING_REPLY, "");
        probe(runner, PEER_ARP);

        assertThat(runner.commands).containsExactly(List.of("arping", "-c", "1", "-w", "1", "-I", "eth0", "198.51.100.12"));
    }

    @Test
    void prefixesCommandsSoTheyCanRunInsideANetworkNamespace() {
        CannedRunner runner = new CannedRunner(0, PING_REPLY, "");
        new ExecProber(runner, List.of("ip", "netns", "exec", "node1")).probe(PEER_ICMP, Duration.ofMillis(1500)).join();

        assertThat(runner.commands.get(0)).startsWith("ip", "netns", "exec", "node1", "ping").contains("1.5");
    }

    @Test
    void pingReplyIsOkWithItsRoundTripTime() {
        ProbeResult result = probe(new CannedRunner(0, PING_REPLY, ""), PEER_ICMP);

        assertThat(result.ok()).isTrue();
        assertThat(result.rtt()).isEqualTo(Duration.ofNanos(1_020_000));
    }

    @Test
    void arpingUnicastReplyIsOkWithItsRoundTripTime() {
        ProbeResult result = probe(new CannedRunner(0, ARPING_REPLY, ""), PEER_ARP);

        assertThat(result.ok()).isTrue();
        assertThat(result.rtt()).isEqualTo(Duration.ofNanos(561_000));
    }

    @Test
    void pingWithoutReplyFails() {
        ProbeResult result = probe(new CannedRunner(1, PING_NO_REPLY, ""), PEER_ICMP);

        assertThat(result.ok()).isFalse();
        assertThat(result.rtt()).isNull();
        assertThat(result.detail()).isEqualTo("exit 1: no reply");
    }

    @Test
    void pingExitCodeTwoNetworkUnreachableIsAFailure() {
        ProbeResult result = probe(new CannedRunner(2, "", "ping: connect: Network is unreachable\n"), PEER_ICMP);

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("exit 2: Network is unreachable");
    }

    @Test
    void arpingWithoutReplyFails() {
        ProbeResult result = probe(new CannedRunner(1, ARPING_NO_REPLY, ""), PEER_ARP);

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("exit 1: no reply");
    }

    @Test
    void arpingOnAMissingDeviceFails() {
        ProbeResult result = probe(new CannedRunner(2, "", "arping: Device nosuch not available.\n"), PEER_ARP);

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("exit 2: Device nosuch not available.");
    }

    @Test
    void commandKilledAtTheDeadlineFailsWithTimeout() {
        ProbeResult result = probe(new CannedRunner(CompletableFuture.completedFuture(ProbeCommandRunner.Output.timeout())), PEER_ICMP);

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("timeout after 400ms");
    }

    @Test
    void commandThatCannotStartFailsWithTheError() {
        ProbeResult result = probe(new CannedRunner(CompletableFuture.failedFuture(
                new IOException("Cannot run program \"ping\": error=2, No such file or directory"))), PEER_ICMP);

        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).isEqualTo("error: Cannot run program \"ping\": error=2, No such file or directory");
    }

    @Test
    void formatsDeadlinesForTheTools() {
        assertThat(ExecProber.fractionalSeconds(Duration.ofMillis(400))).isEqualTo("0.4");
        assertThat(ExecProber.fractionalSeconds(Duration.ofSeconds(2))).isEqualTo("2");
        assertThat(ExecProber.fractionalSeconds(Duration.ofMillis(1250))).isEqualTo("1.25");
        assertThat(ExecProber.wholeSecondsRoundedUp(Duration.ofMillis(400))).isEqualTo("1");
        assertThat(ExecProber.wholeSecondsRoundedUp(Duration.ofMillis(2001))).isEqualTo("3");
        assertThat(ExecProber.wholeSecondsRoundedUp(Duration.ofSeconds(2))).isEqualTo("2");
    }

    @Test
    void processRunnerKillsACommandThatOverrunsItsDeadline() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            long started = System.nanoTime();
            ProbeCommandRunner.Output output = new ProcessProbeCommandRunner(timer)
                    .run(List.of("sleep", "10"), Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);

            assertThat(output.timedOut()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void processRunnerReportsExitCodeAndOutputInTheCLocale() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            ProbeCommandRunner.Output output = new ProcessProbeCommandRunner(timer)
                    .run(List.of("sh", "-c", "echo \"$LC_ALL\"; echo oops >&2; exit 2"), Duration.ofSeconds(5))
                    .get(5, TimeUnit.SECONDS);

            assertThat(output).isEqualTo(new ProbeCommandRunner.Output(2, "C\n", "oops\n", false));
        } finally {
            timer.shutdownNow();
        }
    }
}
