package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.SeedHooks;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** Plain ucarp 1.5.2 with the seed's flags and up/down scripts, and the same timers as the agent: the baseline. */
final class PlainUcarpSystem extends ProcessPairSystem {

    static final int MASTER_SKEW = 0;
    static final int BACKUP_SKEW = 10;

    private final Path hooks;

    PlainUcarpSystem(BenchPair pair, Path hooks) {
        super(pair, "plain ucarp", "ucarp", EnumSet.of(Scenario.KILL, Scenario.LINK_DOWN, Scenario.GRACEFUL,
                Scenario.GRACEFUL_GROUP, Scenario.GRACEFUL_ALL));
        this.hooks = hooks;
    }

    @Override
    String electionProcess() {
        return null;
    }

    @Override
    Process startOn(LabNode node, int vhid, boolean preferred) {
        return start(node, vhid, pair.vip(), preferred ? MASTER_SKEW : BACKUP_SKEW, pair.password(), hooks,
                ProcessBuilder.Redirect.appendTo(log(node).toFile()));
    }

    /** ucarp's own output, stderr and stdout together, every run appended: its WARNING lines come unbuffered. */
    @Override
    public Optional<Path> ucarpLog(LabNode node) {
        return Optional.of(log(node));
    }

    private Path log(LabNode node) {
        return pair.workDir().resolve("ucarp-" + node.name() + ".log");
    }

    /**
     * Seed-style: -b 1, -k SKEW, -P, -z, up/down scripts doing ip addr add/del with the prefix as xparam; ucarp leads
     * its own process group, its up/down scripts run in it; its output (stderr with it) goes to {@code output}.
     */
    static Process start(LabNode node, int vhid, String vip, int skew, String password, Path hooks,
                         ProcessBuilder.Redirect output) {
        ProcessBuilder builder = ProcessPairSystem.instanceCommand(node, List.of("ucarp", "-i", node.vipInterface(), "-s", node.address(),
                "-v", Integer.toString(vhid), "-p", password, "-a", vip, "-b", "1", "-k", Integer.toString(skew), "-P", "-z",
                "-u", hooks.resolve(SeedHooks.UP).toString(), "-d", hooks.resolve(SeedHooks.DOWN).toString(),
                "-x", Integer.toString(BenchPair.PREFIX)))
                .redirectErrorStream(true)
                .redirectOutput(output);
        return node.start(builder);
    }
}
