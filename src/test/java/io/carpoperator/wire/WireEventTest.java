package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WireEventTest {

    @Test
    void everyEventOfTheProtocolParses() {
        assertThat(WireEvent.parse("ready 4242")).isEqualTo(new WireEvent.Ready(4242));
        assertThat(WireEvent.parse("icmp 17 198.51.100.1")).isEqualTo(new WireEvent.EchoReply(17, "198.51.100.1"));
        assertThat(WireEvent.parse("arp 18 198.51.100.2 02:00:00:aa:bb:cc"))
                .isEqualTo(new WireEvent.ArpReply(18, "198.51.100.2", "02:00:00:aa:bb:cc"));
        assertThat(WireEvent.parse("listening eth0")).isEqualTo(new WireEvent.Listening("eth0"));
        assertThat(WireEvent.parse("carp eth0 198.51.100.212 255 2107")).isEqualTo(new WireEvent.Advert("eth0", "198.51.100.212", 255, "2107"));
        assertThat(WireEvent.parse("error 19 Network is unreachable"))
                .isEqualTo(new WireEvent.Failure(OptionalLong.of(19), "Network is unreachable"));
        assertThat(WireEvent.parse("error - listen eth9: no interface eth9 in this network namespace"))
                .isEqualTo(new WireEvent.Failure(OptionalLong.empty(), "listen eth9: no interface eth9 in this network namespace"));
    }

    @Test
    void aLineThatDoesNotParseBecomesUnrecognizedSayingWhy() {
        assertThat(WireEvent.parse("hello")).isEqualTo(new WireEvent.Unrecognized("hello", "unknown event 'hello'"));
        assertThat(WireEvent.parse("icmp 17")).isEqualTo(new WireEvent.Unrecognized("icmp 17", "'icmp' events have 3 words, this one has 2"));
        assertThat(WireEvent.parse("icmp x 198.51.100.1")).isInstanceOf(WireEvent.Unrecognized.class)
                .extracting(e -> ((WireEvent.Unrecognized) e).why()).asString().contains("x");
        assertThat(WireEvent.parse("error 5")).isEqualTo(new WireEvent.Unrecognized("error 5",
                "an error line needs an id ('-' for none) and a message"));
        assertThat(WireEvent.parse("")).isInstanceOf(WireEvent.Unrecognized.class);
    }
}
