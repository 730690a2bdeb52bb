package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import io.carpoperator.lab.SeedHooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Plain ucarp 1.5.2 with the seed's flags and up/down scripts, and the same timers as the agent: the baseline. */
final class PlainUcarpSystem implements FailoverSystem {

    static final int MASTER_SKEW = 0;
    static final int BACKUP_SKEW = 10;

    private final BenchPair pair;
    private final Path hooks;
    private Process master;
    private Process backup;

    PlainUcarpSystem(BenchPair pair, Path hooks) {
        this.pair = pair;
        this.hooks = hooks;
    }

    @Override
    public String name() {
        return "plain ucarp";
    }

    @Override
    public String slug() {
        return "ucarp";
    }

    @Override
    public Set<Scenario> scenarios() {
        return EnumSet.of(Scenario.KILL, Scenario.LINK_DOWN, Scenario.GRACEFUL);
    }

    @Override
    public void start(int vhid) {
        master = start(pair.master(), vhid, pair.vip(), MASTER_SKEW, pair.password(), hooks);
        pair.awaitHolder(pair.master(), Duration.ofSeconds(10));
        backup = start(pair.backup(), vhid, pair.vip(), BACKUP_SKEW, pair.password(), hooks);
    }

    @Override
    public void killMasterHard() {
        ProcessTree.killHard(master);
    }

    @Override
    public void stopMasterGracefully() {
        ProcessTree.terminate(master);
    }

    @Override
    public boolean masterTakesPart() {
        return master.isAlive();
    }

    @Override
    public void stopAll() {
        ProcessTree.killAndWait(master);
        ProcessTree.killAndWait(backup);
        master = null;
        backup = null;
    }

    /** Seed-style: -b 1, -k SKEW, -P, -z, up/down scripts doing ip addr add/del with the prefix as xparam. */
    static Process start(LabNode node, int vhid, String vip, int skew, String password, Path hooks) {
        ProcessBuilder builder = node.command(List.of("ucarp", "-i", node.vipInterface(), "-s", node.address(),
                "-v", Integer.toString(vhid), "-p", password, "-a", vip, "-b", "1", "-k", Integer.toString(skew), "-P", "-z",
                "-u", hooks.resolve(SeedHooks.UP).toString(), "-d", hooks.resolve(SeedHooks.DOWN).toString(),
                "-x", Integer.toString(BenchPair.PREFIX)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return node.start(builder);
    }
}
