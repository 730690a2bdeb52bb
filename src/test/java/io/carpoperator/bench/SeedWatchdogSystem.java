package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;

/**
 * The seed's own {@code ucarp-watchdog.sh} (bench/seed/, paths adapted only), one per node, each as PID 1 of its own
 * PID namespace so its {@code ps -edaf | grep ucarp} sees that node's processes only. The watchdog starts ucarp itself
 * with the seed's flags (no -k, no -b: skew 0 and advbase 1 on both nodes), so node1 is master because it starts first.
 */
final class SeedWatchdogSystem extends ProcessPairSystem {

    static final Path WATCHDOG = Path.of("bench/seed/ucarp-watchdog.sh").toAbsolutePath();

    SeedWatchdogSystem(BenchPair pair) {
        super(pair, "seed ucarp-watchdog.sh", "seed-watchdog", EnumSet.of(Scenario.ISOLATION));
    }

    @Override
    String electionProcess() {
        return "ucarp";
    }

    /** The watchdog is PID 1 of its namespace: when it is killed, the kernel kills its ucarp too. */
    @Override
    Process startOn(LabNode node, int vhid, boolean preferred) {
        // no "watchdog" in these paths: the seed's `grep -v watchdog` would hide ucarp's own command line
        Path etc = pair.workDir().resolve("seed-" + node.name() + "-" + vhid + "/etc");
        Path run = pair.workDir().resolve("seed-" + node.name() + "-" + vhid + "/run");
        try {
            Files.createDirectories(etc);
            Files.createDirectories(run);
            // the seed's carp99-up.sh and carp99-down.sh, for our VIP
            executable(etc.resolve("carp" + vhid + "-up.sh"),
                    "#!/bin/bash\n/sbin/ip addr add " + pair.vip() + "/" + BenchPair.PREFIX + " dev \"$1\"\n");
            executable(etc.resolve("carp" + vhid + "-down.sh"),
                    "#!/bin/bash\n/sbin/ip addr del " + pair.vip() + "/" + BenchPair.PREFIX + " dev \"$1\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the seed's scripts in " + etc, e);
        }
        LabNode peer = pair.peerOf(node);
        // ucarpid interface ip_physical ip_virtual isolation_host peer_heartbeat peer_ucarp
        ProcessBuilder builder = node.command(List.of("unshare", "--pid", "--fork", "--mount-proc", WATCHDOG.toString(),
                        Integer.toString(vhid), node.vipInterface(), node.address(), pair.vip(), pair.isolationHost(),
                        peer.heartbeatAddress(), peer.address()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pair.workDir().resolve("seed-" + node.name()
                        + ".log").toFile()));
        builder.environment().put("SEED_ETC", etc.toString());
        builder.environment().put("SEED_RUN", run.toString());
        return node.start(builder);
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
