package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.carp.AddressControl;
import io.carpoperator.carp.CommandRunner;
import io.carpoperator.carp.RecordingCommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupSweepTest {
    private static final String ADDRESSES = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            2: eth1    inet 198.51.100.11/24 brd 198.51.100.255 scope global eth1\\       valid_lft forever preferred_lft forever
            2: eth1    inet 198.51.100.10/24 scope global secondary eth1\\       valid_lft forever preferred_lft forever
            3: eth2    inet 198.51.100.30/32 scope global eth2\\       valid_lft forever preferred_lft forever
            """;

    @TempDir
    Path dir;

    private final RecordingCommandRunner commands = new RecordingCommandRunner()
            .answer("ip -4 -o addr show", new CommandRunner.Result(0, ADDRESSES, ""));
    private final FakeProcesses processes = new FakeProcesses();

    /** A process table the test fills: pid to start time and command line; kill removes the entry. */
    static final class FakeProcesses implements HostProcesses {
        final Map<Long, Long> startTimes = new HashMap<>();
        final Map<Long, String> commandLines = new HashMap<>();
        final List<Long> killed = new ArrayList<>();

        FakeProcesses with(long pid, long startTime, String commandLine) {
            startTimes.put(pid, startTime);
            commandLines.put(pid, commandLine);
            return this;
        }

        @Override
        public OptionalLong startTime(long pid) {
            Long time = startTimes.get(pid);
            return time == null ? OptionalLong.empty() : OptionalLong.of(time);
        }

        @Override
        public Optional<String> commandLine(long pid) {
            return Optional.ofNullable(commandLines.get(pid));
        }

        @Override
        public boolean kill(long pid) {
            killed.add(pid);
            return startTimes.remove(pid) != null;
        }
    }

    private List<RecordedVip> sweep() throws IOException {
        return new StartupSweep(NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST), processes, new AddressControl(commands)).run();
    }

    @Test
    void killsTheOrphanedUcarpItStartedAndRemovesEveryAddressItMayHaveConfigured() throws IOException {
        NodeStateJournal before = NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST);
        before.recordVip("node-a", NodeStateJournalTest.settings("web", "198.51.100.10"));
        before.recordVip("node-a", NodeStateJournalTest.settings("db", "198.51.100.30"));
        before.recordVip("node-a", NodeStateJournalTest.settings("idle", "198.51.100.40"));
        before.recordUcarp(new RecordedUcarp(4242, 555, "vip web 198.51.100.10 vhid 7"));
        processes.with(4242, 555, "ucarp -i eth1 -s 198.51.100.11 -v 7");

        List<RecordedVip> recorded = sweep();

        assertThat(processes.killed).containsExactly(4242L);
        assertThat(commands.commands()).containsExactly("ip -4 -o addr show", "ip addr del 198.51.100.30/32 dev eth2",
                "ip addr del 198.51.100.10/24 dev eth1");
        assertThat(recorded).extracting(RecordedVip::name).containsExactly("db", "idle", "web");
        assertThat(NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST).previousRun().ucarps())
                .as("the ucarp records are done with; the configurations stay for the agent").isEmpty();
    }

    @Test
    void neverKillsAProcessThatReusedTheRecordedPid() throws IOException {
        NodeStateJournal before = NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST);
        before.recordUcarp(new RecordedUcarp(4242, 555, "vip web"));
        before.recordUcarp(new RecordedUcarp(4343, 777, "vip db"));
        processes.with(4242, 556, "ucarp -i eth1 -v 7").with(4343, 777, "sshd: admin");

        sweep();

        assertThat(processes.killed).isEmpty();
        assertThat(commands.commands()).as("nothing recorded to remove").isEmpty();
    }

    @Test
    void aUcarpThatIsGoneNeedsNothing() throws IOException {
        NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST).recordUcarp(new RecordedUcarp(4242, 555, "vip web"));
        sweep();
        assertThat(processes.killed).isEmpty();
    }

    @Test
    void anAddressThatCannotBeRemovedIsLoggedAndTheOthersAreStillRemoved() throws IOException {
        commands.answer("ip addr del 198.51.100.30", new CommandRunner.Result(2, "", "RTNETLINK answers: Operation not permitted"));
        NodeStateJournal before = NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST);
        before.recordVip("node-a", NodeStateJournalTest.settings("db", "198.51.100.30"));
        before.recordVip("node-a", NodeStateJournalTest.settings("web", "198.51.100.10"));

        assertThat(sweep()).hasSize(2);
        assertThat(commands.commands()).contains("ip addr del 198.51.100.10/24 dev eth1");
    }

    @Test
    void whenTheAddressesCannotBeListedTheSweepStillEnds() throws IOException {
        commands.answer("ip -4 -o addr show", new CommandRunner.Result(1, "", "Cannot open netlink socket"));
        NodeStateJournalTest.open(dir, NodeStateJournalTest.FIRST).recordVip("node-a", NodeStateJournalTest.settings("web", "198.51.100.10"));
        assertThat(sweep()).hasSize(1);
        assertThat(commands.commands()).containsExactly("ip -4 -o addr show");
    }

    @Test
    void anEmptyJournalTouchesNothing() throws IOException {
        assertThat(sweep()).isEmpty();
        assertThat(commands.commands()).isEmpty();
    }
}
