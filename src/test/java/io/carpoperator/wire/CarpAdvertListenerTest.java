package io.carpoperator.wire;

import static io.carpoperator.wire.CarpAdvertTest.VHID_7;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarpAdvertListenerTest {

    private final FakeWire wire = new FakeWire();
    private final WireHelper helper = wire.helper();
    private final CarpAdvertListener listener = CarpAdvertListener.on(helper);
    private final List<CarpAdvert> onEth0 = new ArrayList<>();
    private final List<CarpAdvert> onEth1 = new ArrayList<>();

    {
        helper.start();
    }

    @Test
    void theFirstSubscriberOfAnInterfaceStartsListeningAndTheLastOneStopsIt() {
        CarpAdvertListener.Subscription first = listener.subscribe("eth0", onEth0::add);
        CarpAdvertListener.Subscription second = listener.subscribe("eth0", onEth0::add);
        assertThat(wire.sent()).containsExactly("listen eth0");

        first.close();
        first.close();
        assertThat(wire.sent()).containsExactly("listen eth0");
        second.close();

        assertThat(wire.sent()).containsExactly("listen eth0", "unlisten eth0");
        assertThat(listener.interfaces()).isEmpty();
    }

    @Test
    void advertsReachTheSubscribersOfTheirInterfaceOnly() {
        listener.subscribe("eth0", onEth0::add);
        listener.subscribe("eth1", onEth1::add);

        wire.current().line("carp eth0 198.51.100.212 255 " + VHID_7);
        wire.current().line("carp eth2 198.51.100.212 255 " + VHID_7);

        assertThat(onEth0).containsExactly(CarpAdvert.parse("eth0", "198.51.100.212", 255, VHID_7));
        assertThat(onEth1).isEmpty();
    }

    @Test
    void aPacketThatIsNoCarpHeaderIsDroppedAndLaterAdvertsStillArrive() {
        listener.subscribe("eth0", onEth0::add);

        wire.current().line("carp eth0 198.51.100.212 255 21010a01000105b2c6336464");
        wire.current().line("carp eth0 198.51.100.212 255 " + VHID_7);

        assertThat(onEth0).extracting(CarpAdvert::vhid).containsExactly(7);
    }

    @Test
    void aFailingSubscriberDoesNotKeepTheAdvertFromTheOthers() {
        listener.subscribe("eth0", advert -> {
            throw new IllegalStateException("subscriber bug");
        });
        listener.subscribe("eth0", onEth0::add);

        wire.current().line("carp eth0 198.51.100.212 255 " + VHID_7);

        assertThat(onEth0).hasSize(1);
    }

    @Test
    void aRestartedHelperIsAskedToListenOnEverySubscribedInterfaceAgain() {
        listener.subscribe("eth0", onEth0::add);
        listener.subscribe("eth1", onEth1::add);
        CarpAdvertListener.Subscription gone = listener.subscribe("eth2", advert -> { });
        gone.close();

        wire.current().exit(1);
        wire.scheduler.advance(Duration.ofMillis(500));

        assertThat(wire.started).hasSize(2);
        assertThat(wire.sent()).containsExactlyInAnyOrder("listen eth0", "listen eth1");
    }

    @Test
    void subscribingWhileTheHelperIsDownListensOnceItRuns() {
        wire.current().exit(1);
        listener.subscribe("eth0", onEth0::add);

        wire.scheduler.advance(Duration.ofMillis(500));

        assertThat(wire.sent()).containsExactly("listen eth0");
    }

    @Test
    void anInterfaceNameTheHelperCannotTakeIsRefusedAtOnce() {
        assertThatThrownBy(() -> listener.subscribe("eth0 eth1", onEth0::add)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("interface 'eth0 eth1' is not a Linux interface name");
        assertThat(wire.sent()).isEmpty();
        assertThat(listener.interfaces()).isEmpty();
    }
}
