package io.carpoperator.bench;

import io.carpoperator.lab.LabNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * keepalived VRRP with {@code advert_int 1}, priorities 150 (node1) and 100 (node2), preemption on, and a
 * track_script doing the seed's ping checks every second (fall 2, rise 2, as the agent's hold limit and recover-after).
 * Each node runs its own keepalived in its namespace, in the foreground, with its own config and pid files; a notify
 * script records each state change in a file, so the benchmark sees when an isolated node leaves FAULT.
 */
final class KeepalivedSystem extends ProcessPairSystem {

    static final int MASTER_PRIORITY = 150;
    static final int BACKUP_PRIORITY = 100;
    static final Path CHECK_SCRIPT = Path.of("bench/keepalived/isolation-check.sh").toAbsolutePath();
    static final Path NOTIFY_SCRIPT = Path.of("bench/keepalived/notify-state.sh").toAbsolutePath();

    private Path masterState;

    KeepalivedSystem(BenchPair pair) {
        // no ucarp-crash: it measures the agent's own recovery of its ucarp child
        super(pair, "keepalived VRRP", "keepalived", EnumSet.complementOf(EnumSet.of(Scenario.UCARP_CRASH)));
    }

    /** -n keeps the parent in the foreground; its VRRP child is the process that runs the instance. */
    @Override
    String electionProcess() {
        return "keepalived";
    }

    @Override
    public boolean masterTakesPart() {
        try {
            String state = Files.exists(masterState) ? Files.readString(masterState).strip() : "";
            return state.equals("MASTER") || state.equals("BACKUP");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keepalived's state from " + masterState, e);
        }
    }

    private Path stateFile(LabNode node, int vhid) {
        return directory(node, vhid).resolve("state");
    }

    private Path directory(LabNode node, int vhid) {
        return pair.workDir().resolve("keepalived-" + node.name() + "-" + vhid);
    }

    @Override
    Process startOn(LabNode node, int vhid, boolean preferred) {
        int priority = preferred ? MASTER_PRIORITY : BACKUP_PRIORITY;
        if (preferred) {
            masterState = stateFile(node, vhid);
        }
        Path dir = directory(node, vhid);
        LabNode peer = pair.peerOf(node);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(stateFile(node, vhid));
            Files.writeString(dir.resolve("keepalived.conf"), config(node.name(), node.vipInterface(), vhid, priority,
                    pair.vip() + "/" + BenchPair.PREFIX, CHECK_SCRIPT + " " + peer.address() + " "
                            + peer.heartbeatAddress() + " " + pair.isolationHost(),
                    NOTIFY_SCRIPT + " " + stateFile(node, vhid)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the keepalived config in " + dir, e);
        }
        Path conf = dir.resolve("keepalived.conf");
        ProcessBuilder builder = instanceCommand(node, List.of("keepalived", "-n", "-l", "-D", "-P", "-f", conf.toString(),
                        "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString(),
                        "-c", dir.resolve("checkers.pid").toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pair.workDir().resolve("keepalived-" + node.name()
                        + ".log").toFile()));
        return node.start(builder);
    }

    /** The whole config of one node: no vrrp_strict, multicast adverts, the track script run as root. */
    static String config(String routerId, String iface, int vhid, int priority, String vipWithPrefix, String checkCommand,
                         String notifyCommand) {
        return """
                global_defs {
                    router_id %1$s
                    script_user root
                }

                vrrp_script isolation_check {
                    script "%6$s"
                    interval 1
                    timeout 2
                    fall 2
                    rise 2
                }

                vrrp_instance bench_%3$d {
                    state %7$s
                    interface %2$s
                    virtual_router_id %3$d
                    priority %4$d
                    advert_int 1
                    virtual_ipaddress {
                        %5$s dev %2$s
                    }
                    track_script {
                        isolation_check
                    }
                    notify "%8$s"
                }
                """.formatted(routerId, iface, vhid, priority, vipWithPrefix, checkCommand,
                priority >= MASTER_PRIORITY ? "MASTER" : "BACKUP", notifyCommand);
    }
}
