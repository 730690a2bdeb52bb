package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.watchdog.ProbeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateJournalTest {
    static final Instant FIRST = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    static VipSettings settings(String name, String address) {
        return new VipSettings(name, address, 24, "eth1", null, 7, true, 1, 10, "s3cret", true, List.of("198.51.100.12"),
                List.of("203.0.113.12"), List.of("198.51.100.1"), Set.of(ProbeKind.ICMP, ProbeKind.ARP), Duration.ofMillis(500), 2, 2,
                Duration.ofSeconds(10));
    }

    static NodeStateJournal open(Path dir, Instant now) throws IOException {
        return NodeStateJournal.open(dir, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void keepsItsDirectory0700AndEveryFile0600BecauseTheyHoldThePassword() throws IOException {
        Path dir = tmp.resolve("state");
        NodeStateJournal journal = open(dir, FIRST);
        journal.recordVip("node-a", settings("web", "198.51.100.10"));
        journal.recordUcarp(new RecordedUcarp(4242, 99, "vip web 198.51.100.10 vhid 7"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("vip-web.json")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ucarp-4242.json")))).isEqualTo("rw-------");
    }

    @Test
    void tightensADirectoryThatAlreadyExists() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("state"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        open(dir, FIRST);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void theNextRunReadsBackWhatThisOneRecorded() throws IOException {
        NodeStateJournal journal = open(tmp, FIRST);
        VipSettings web = settings("web", "198.51.100.10");
        journal.recordVip("node-a", web);
        journal.recordUcarp(new RecordedUcarp(4242, 99, "vip web 198.51.100.10 vhid 7"));

        NodeStateJournal.Contents previous = open(tmp, FIRST.plusSeconds(60)).previousRun();
        assertThat(previous.vips()).containsExactly(new RecordedVip("web", "node-a", FIRST, "198.51.100.10", 24, web));
        assertThat(previous.ucarps()).containsExactly(new RecordedUcarp(4242, 99, "vip web 198.51.100.10 vhid 7"));
    }

    @Test
    void writesAtomicallyUnderATemporaryNameAndLeavesNoneBehind() throws IOException {
        NodeStateJournal journal = open(tmp, FIRST);
        journal.recordVip("node-a", settings("web", "198.51.100.10"));
        journal.recordVip("node-a", settings("web", "198.51.100.20"));

        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("vip-web.json");
        }
        assertThat(open(tmp, FIRST).previousRun().vips()).extracting(RecordedVip::address).containsExactly("198.51.100.20");
    }

    @Test
    void anUnchangedConfigurationKeepsTheTimeItWasFirstRecorded() throws IOException {
        open(tmp, FIRST).recordVip("node-a", settings("web", "198.51.100.10"));
        NodeStateJournal restarted = open(tmp, FIRST.plusSeconds(600));
        restarted.recordVip("node-a", settings("web", "198.51.100.10"));
        assertThat(open(tmp, FIRST).previousRun().vips()).extracting(RecordedVip::recordedAt).containsExactly(FIRST);

        restarted.recordVip("node-a", settings("web", "198.51.100.10").withTargets(List.of("198.51.100.13"), List.of()));
        assertThat(open(tmp, FIRST).previousRun().vips()).extracting(RecordedVip::recordedAt).containsExactly(FIRST.plusSeconds(600));
    }

    @Test
    void forgetsAStoppedVipAndAnExitedUcarp() throws IOException {
        NodeStateJournal journal = open(tmp, FIRST);
        journal.recordVip("node-a", settings("web", "198.51.100.10"));
        journal.recordUcarp(new RecordedUcarp(4242, 99, "vip web"));
        journal.forgetVip("web");
        journal.forgetUcarp(4242);
        assertThat(open(tmp, FIRST).previousRun()).isEqualTo(new NodeStateJournal.Contents(List.of(), List.of()));
    }

    @Test
    void onceTheApiAnsweredForgetsWhatAPreviousRunRecordedAndThisOneDidNotStart() throws IOException {
        NodeStateJournal before = open(tmp, FIRST);
        before.recordVip("node-a", settings("web", "198.51.100.10"));
        before.recordVip("node-a", settings("gone", "198.51.100.30"));

        NodeStateJournal journal = open(tmp, FIRST);
        journal.recordVip("node-a", settings("web", "198.51.100.10"));
        journal.forgetVipsNotRecordedThisRun();
        assertThat(open(tmp, FIRST).previousRun().vips()).extracting(RecordedVip::name).containsExactly("web");
    }

    @Test
    void anUnreadableFileIsSkippedWhileTheRestIsRead() throws IOException {
        open(tmp, FIRST).recordVip("node-a", settings("web", "198.51.100.10"));
        Files.writeString(tmp.resolve("vip-broken.json"), "{\"address\": ");
        Files.writeString(tmp.resolve("ucarp-77.json"), "not json");
        Files.writeString(tmp.resolve("ucarp-78.json"), "{\"pid\": 79, \"startTime\": 5, \"label\": \"x\"}");
        Files.writeString(tmp.resolve("notes.txt"), "ignored");

        NodeStateJournal.Contents previous = open(tmp, FIRST).previousRun();
        assertThat(previous.vips()).extracting(RecordedVip::name).containsExactly("web");
        assertThat(previous.ucarps()).isEmpty();
    }

    @Test
    void aConfigurationItCannotReadStillYieldsItsAddressToSweep() throws IOException {
        Files.writeString(tmp.resolve("vip-web.json"), """
                {"format": 1, "name": "web", "node": "node-a", "address": "198.51.100.10", "prefixLength": 24,
                 "settings": {"name": "web", "probeInterval": "every second"}}
                """);
        Files.writeString(tmp.resolve("vip-next.json"), """
                {"format": 2, "address": "198.51.100.11", "prefixLength": 24, "settings": {"anything": true}}
                """);
        assertThat(open(tmp, FIRST).previousRun().vips()).containsExactly(
                new RecordedVip("next", "", null, "198.51.100.11", 24, null),
                new RecordedVip("web", "node-a", null, "198.51.100.10", 24, null));
    }

    @Test
    void aDirectoryThatCannotBeWrittenLosesTheRecordNotTheVip() throws IOException {
        Path dir = tmp.resolve("state");
        NodeStateJournal journal = open(dir, FIRST);
        Files.delete(dir);
        journal.recordVip("node-a", settings("web", "198.51.100.10"));
        journal.recordUcarp(new RecordedUcarp(1, 2, "vip web"));
        journal.forgetVip("web");
        assertThat(Files.exists(dir)).isFalse();
    }
}
