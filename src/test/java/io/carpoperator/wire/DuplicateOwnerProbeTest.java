package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DuplicateOwnerProbeTest {

    private static final Duration DEADLINE = Duration.ofMillis(300);

    private final FakeWire wire = new FakeWire();
    private final WireHelper helper = wire.helper();
    private final DuplicateOwnerProbe probe = DuplicateOwnerProbe.on(helper, wire.scheduler);

    {
        helper.start();
    }

    @Test
    void everyOtherMacThatAnswersWithinTheDeadlineIsAnOwnerOnceInArrivalOrder() {
        CompletableFuture<List<String>> owners = probe.otherOwners("eth0", "198.51.100.250", DEADLINE);
        assertThat(wire.sent()).containsExactly("dad 1 eth0 198.51.100.250");

        wire.current().line("arp 1 198.51.100.250 02:00:00:00:00:bb");
        wire.current().line("arp 1 198.51.100.250 02:00:00:00:00:aa");
        wire.current().line("arp 1 198.51.100.250 02:00:00:00:00:bb");
        wire.current().line("arp 2 198.51.100.250 02:00:00:00:00:cc");
        wire.scheduler.advance(Duration.ofMillis(299));
        assertThat(owners).isNotDone();
        wire.scheduler.advance(Duration.ofMillis(1));

        assertThat(owners).isCompletedWithValue(List.of("02:00:00:00:00:bb", "02:00:00:00:00:aa"));
        assertThat(wire.sent()).containsExactly("dad 1 eth0 198.51.100.250", "cancel 1");
    }

    @Test
    void nobodyAnsweringIsAnEmptyList() {
        CompletableFuture<List<String>> owners = probe.otherOwners("eth0", "198.51.100.250", DEADLINE);
        wire.scheduler.advance(DEADLINE);
        wire.current().line("arp 1 198.51.100.250 02:00:00:00:00:bb");

        assertThat(owners).isCompletedWithValue(List.of());
    }

    @Test
    void aProbeThatCouldNotBeAskedFailsInsteadOfReportingNobody() {
        CompletableFuture<List<String>> owners = probe.otherOwners("eth9", "198.51.100.250", DEADLINE);
        wire.current().line("error 1 no interface eth9 in this network namespace");

        assertThatThrownBy(owners::join).isInstanceOf(CompletionException.class).cause().isInstanceOf(IOException.class)
                .hasMessage("ARP probe for 198.51.100.250 on eth9 failed: no interface eth9 in this network namespace");
        assertThat(wire.scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aHelperThatIsDownOrStopsFailsTheProbe() {
        CompletableFuture<List<String>> asked = probe.otherOwners("eth0", "198.51.100.250", DEADLINE);
        wire.current().exit(1);
        CompletableFuture<List<String>> whileDown = probe.otherOwners("eth0", "198.51.100.250", DEADLINE);

        assertThatThrownBy(asked::join).cause()
                .hasMessage("ARP probe for 198.51.100.250 on eth0 failed: the wire helper for node test-1 exited with code 1");
        assertThatThrownBy(whileDown::join).cause().hasMessage("ARP probe for 198.51.100.250 on eth0 failed: "
                + "the wire helper for node test-1 exited with code 1 and is waiting to restart");
    }

    @Test
    void anArgumentTheHelperCannotTakeIsRefusedAtOnce() {
        assertThatThrownBy(() -> probe.otherOwners("eth0", "198.51.100.250/24", DEADLINE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address '198.51.100.250/24' is not an IPv4 address ('250/24' is not a decimal number); the wire helper takes dotted quads only");
        assertThat(wire.sent()).isEmpty();
    }
}
