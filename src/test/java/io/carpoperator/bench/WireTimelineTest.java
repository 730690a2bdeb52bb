package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.bench.WireTimeline.Advert;
import io.carpoperator.bench.WireTimeline.Arp;
import io.carpoperator.bench.WireTimeline.EchoReply;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lines as wire-sniff.pl printed them in a two-namespace trial (ucarp vhid 42, arping -U, ping). */
class WireTimelineTest {

    @Test
    void anAdvertLineGivesItsSenderVhidAndSkewAtTheMicrosecond() {
        assertThat(WireTimeline.parse("1796183770.487868 carp 198.51.100.222 42 5"))
                .contains(new Advert(Instant.ofEpochSecond(1796183770L, 487_868_000L), "198.51.100.222", 42, 5));
    }

    @Test
    void anArpLineThatAnnouncesItsOwnSenderIsGratuitous() {
        Arp garp = (Arp) WireTimeline.parse("1796183770.487814 arp 1 198.51.100.223 b6:0a:34:37:11:19 198.51.100.223")
                .orElseThrow();

        assertThat(garp).isEqualTo(new Arp(Instant.ofEpochSecond(1796183770L, 487_814_000L), 1, "198.51.100.223",
                "b6:0a:34:37:11:19", "198.51.100.223"));
        assertThat(garp.gratuitous()).isTrue();
    }

    @Test
    void anArpReplyToAQuestionIsNotGratuitous() {
        Arp reply = (Arp) WireTimeline.parse("1796183772.650194 arp 2 198.51.100.221 f2:f6:ee:52:a2:46 198.51.100.222")
                .orElseThrow();

        assertThat(reply.op()).isEqualTo(2);
        assertThat(reply.gratuitous()).isFalse();
    }

    @Test
    void anEchoReplyLineNamesTheAddressAndTheMacThatAnswered() {
        assertThat(WireTimeline.parse("1796183767.615079 icmp-reply 198.51.100.222 b6:0a:34:37:11:19"))
                .contains(new EchoReply(Instant.ofEpochSecond(1796183767L, 615_079_000L), "198.51.100.222",
                        "b6:0a:34:37:11:19"));
    }

    @Test
    void theReadyLineTheSniffersErrorsAndTornLinesAreNoEvents() {
        assertThat(WireTimeline.parse("# listening on eth0 ifindex 2")).isEmpty();
        assertThat(WireTimeline.parse("wire-sniff.pl: AF_PACKET socket: Operation not permitted (needs root)")).isEmpty();
        assertThat(WireTimeline.parse("1796183770.487868 carp 198.51.100.222 42")).isEmpty();
        assertThat(WireTimeline.parse("1796183770.4878 carp 198.51.100.222 42 5")).isEmpty();
    }
}
