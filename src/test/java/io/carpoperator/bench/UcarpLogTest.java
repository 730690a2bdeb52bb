package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.carp.UcarpEvent;
import io.carpoperator.carp.UcarpState;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class UcarpLogTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void plainUcarpsOwnLineGivesItsStampAndEvent() {
        assertThat(UcarpLog.parse("2026-12-02T03:40:11.174377: [WARNING] Switching to state: MASTER", UTC))
                .contains(new UcarpLog.Line(Instant.parse("2026-12-02T03:40:11.174377Z"),
                        new UcarpEvent.StateChanged(UcarpState.MASTER)));
    }

    @Test
    void theAgentsDebugLineCarriesUcarpsStampNotTheJvmsMillisecond() {
        String line = "03:40:11,176 DEBUG [UcarpProcess] vip bench-25 198.51.100.10 vhid 25: ucarp[4242] "
                + "2026-12-02T03:40:11.174377: [WARNING] Switching to state: MASTER";

        assertThat(UcarpLog.parse(line, UTC)).map(UcarpLog.Line::at)
                .contains(Instant.parse("2026-12-02T03:40:11.174377Z"));
    }

    @Test
    void ucarpStampsLocalTimeSoTheZoneDecidesTheInstant() {
        assertThat(UcarpLog.parse("2026-12-02T04:40:11.174377: [WARNING] Switching to state: MASTER",
                ZoneId.of("Europe/Berlin"))).map(UcarpLog.Line::at)
                .contains(Instant.parse("2026-12-02T03:40:11.174377Z"));
    }

    @Test
    void hookOutputAndTheJvmsOwnLinesAreSkipped() {
        assertThat(UcarpLog.parse("RTNETLINK answers: File exists", UTC)).isEmpty();
        assertThat(UcarpLog.parse("03:40:11,180 INFO  [VipRunner] vip bench-25: node holds the VIP", UTC)).isEmpty();
    }

    @Test
    void theMasterLineAndTheHookAfterItAreFoundFromTheFaultOn() {
        List<UcarpLog.Line> lines = UcarpLog.parse(List.of(
                "2026-12-02T03:40:01.000100: [WARNING] Switching to state: MASTER",
                "2026-12-02T03:40:01.000900: [WARNING] Spawning [/hooks/up eth0 198.51.100.10 24]",
                "2026-12-02T03:40:02.000000: [WARNING] Switching to state: BACKUP",
                "2026-12-02T03:40:02.000400: [WARNING] Spawning [/hooks/down eth0 198.51.100.10 24]",
                "2026-12-02T03:40:11.174377: [WARNING] Switching to state: MASTER",
                "2026-12-02T03:40:11.174551: [WARNING] Spawning [/hooks/up eth0 198.51.100.10 24]"), UTC);
        Instant fault = Instant.parse("2026-12-02T03:40:08Z");

        Instant master = UcarpLog.firstMaster(lines, fault).orElseThrow();
        assertThat(master).isEqualTo(Instant.parse("2026-12-02T03:40:11.174377Z"));
        assertThat(UcarpLog.firstSpawn(lines, master)).contains(Instant.parse("2026-12-02T03:40:11.174551Z"));
        assertThat(UcarpLog.firstMaster(lines, Instant.parse("2026-12-02T03:40:12Z"))).isEmpty();
    }

    @Test
    void theEarliestStampWinsOverLineOrder() {
        List<UcarpLog.Line> lines = UcarpLog.parse(List.of(
                "2026-12-02T03:40:11.300000: [WARNING] Switching to state: MASTER",
                "2026-12-02T03:40:11.174377: [WARNING] Switching to state: MASTER"), UTC);

        assertThat(UcarpLog.firstMaster(lines, Instant.parse("2026-12-02T03:40:08Z")))
                .contains(Instant.parse("2026-12-02T03:40:11.174377Z"));
    }
}
