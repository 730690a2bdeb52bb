package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines captured from ucarp 1.5.2 (Debian) in a network namespace. */
class UcarpLogParserTest {

    @Test
    void parsesSwitchToBackup() {
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:07.679196: [WARNING] Switching to state: BACKUP"))
                .contains(new UcarpEvent.StateChanged(UcarpState.BACKUP));
    }

    @Test
    void parsesSwitchToMaster() {
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:10.686189: [WARNING] Switching to state: MASTER"))
                .contains(new UcarpEvent.StateChanged(UcarpState.MASTER));
    }

    @Test
    void parsesSwitchToInitAtInfoLevel() {
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:10.686189: [INFO] Switching to state: INIT"))
                .contains(new UcarpEvent.StateChanged(UcarpState.INIT));
    }

    @Test
    void parsesTheSyslogFormWithoutTimestamp() {
        assertThat(UcarpLogParser.parse("[WARNING] Switching to state: MASTER"))
                .contains(new UcarpEvent.StateChanged(UcarpState.MASTER));
    }

    @Test
    void parsesBadDigestAsAuthenticationFailure() {
        String line = "2026-11-26T01:47:29.931301: [WARNING] Bad digest - md2=[ca24c627...] md=[57470c48...] - "
                + "Check vhid, password and virtual IP address";

        assertThat(UcarpLogParser.parse(line)).contains(new UcarpEvent.AuthenticationFailed(
                "Bad digest - md2=[ca24c627...] md=[57470c48...] - Check vhid, password and virtual IP address"));
    }

    @Test
    void parsesLinkLossAsExiting() {
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:35.233401: [ERROR] exiting: pfds[0].revents = 8"))
                .contains(new UcarpEvent.Exiting("pfds[0].revents = 8"));
    }

    @Test
    void parsesHookSpawning() {
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:07.679408: [WARNING] Spawning [/tmp/cw-616-hooks/down eth0 198.51.100.10 24]"))
                .contains(new UcarpEvent.HookSpawned("/tmp/cw-616-hooks/down eth0 198.51.100.10 24"));
    }

    @Test
    void keepsOtherLinesWithTheirLevel() {
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:08.166549: [INFO] Local advertised ethernet address is [ba:e0:4e:57:b9:fd]"))
                .contains(new UcarpEvent.Other("INFO", "Local advertised ethernet address is [ba:e0:4e:57:b9:fd]"));
        assertThat(UcarpLogParser.parse("2026-11-26T01:47:08.000000: [ERROR] unable to open passfile /x: No such file or directory"))
                .hasValueSatisfying(e -> assertThat(((UcarpEvent.Other) e).isError()).isTrue());
    }

    @Test
    void treatsHookOutputAsOtherWithoutLevel() {
        assertThat(UcarpLogParser.parse("carp-vip-up: ip addr add 198.51.100.10/24 dev eth0 failed: Error: boom"))
                .contains(new UcarpEvent.Other("", "carp-vip-up: ip addr add 198.51.100.10/24 dev eth0 failed: Error: boom"));
    }

    @Test
    void ignoresBlankLines() {
        assertThat(UcarpLogParser.parse("   ")).isEmpty();
        assertThat(UcarpLogParser.parse(null)).isEmpty();
    }
    @Test
    void keepsALineWithACarriageReturnInsideWholeAsOtherWithoutLevel() {
        String line = "[WARNING] Switching to state: MASTER\rcarp-vip-up: 100%";
        assertThat(UcarpLogParser.parse(line)).as("no state change read from a hook's progress output")
                .contains(new UcarpEvent.Other("", line));
    }
}
