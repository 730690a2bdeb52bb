package io.carpoperator.dataplane;

import io.carpoperator.carp.AddressControl;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Undoes what a previous run that died without cleanup left on this node, before anything else starts: its ucarp
 * children (orphans in standalone mode) are killed, and every address it may have configured is removed. Removing them
 * all is right: a fresh ucarp starts as BACKUP and would remove its address anyway, and one whose VIP was deleted or
 * deselected meanwhile must not keep it while another node is master. Only what the journal recorded is touched.
 */
public final class StartupSweep {
    private static final Logger LOG = Logger.getLogger(StartupSweep.class);

    private final NodeStateJournal journal;
    private final HostProcesses processes;
    private final AddressControl addresses;

    public StartupSweep(NodeStateJournal journal, HostProcesses processes, AddressControl addresses) {
        this.journal = journal;
        this.processes = processes;
        this.addresses = addresses;
    }

    /** On this host, with the environment's commands (so inside its network namespace, if it has one). */
    public static StartupSweep forHost(NodeStateJournal journal, DataPlaneEnvironment env) {
        return new StartupSweep(journal, HostProcesses.proc(), new AddressControl(env.commands()));
    }

    /** Sweeps and returns the configurations the previous run recorded, which stay in the journal. */
    public List<RecordedVip> run() {
        NodeStateJournal.Contents previous = journal.previousRun();
        for (RecordedUcarp ucarp : previous.ucarps()) {
            killIfStillOurs(ucarp);
            journal.forgetUcarp(ucarp.pid());
        }
        if (!previous.vips().isEmpty()) {
            removeAddresses(previous.vips());
        }
        return previous.vips();
    }

    private void killIfStillOurs(RecordedUcarp ucarp) {
        OptionalLong startTime = processes.startTime(ucarp.pid());
        if (startTime.isEmpty()) {
            return;
        }
        Optional<String> commandLine = processes.commandLine(ucarp.pid());
        if (startTime.getAsLong() != ucarp.startTime() || commandLine.isEmpty() || !commandLine.get().contains("ucarp")) {
            LOG.debugf("swept: pid %d is another process now (%s), not the ucarp of %s; left alone", ucarp.pid(),
                    commandLine.orElse("?"), ucarp.label());
            return;
        }
        if (processes.kill(ucarp.pid())) {
            LOG.infof("swept: killed orphaned ucarp pid %d of %s", ucarp.pid(), ucarp.label());
        }
    }

    private void removeAddresses(List<RecordedVip> vips) {
        List<AddressControl.InterfaceAddress> present;
        try {
            present = addresses.addresses(null);
        } catch (IOException e) {
            LOG.errorf("swept: cannot list this node's addresses (%s); addresses a previous run left are not removed: %s",
                    e.getMessage(), vips.stream().map(v -> v.address() + "/" + v.prefixLength()).toList());
            return;
        }
        for (RecordedVip vip : vips) {
            for (AddressControl.InterfaceAddress held : present) {
                if (!held.address().equals(vip.address())) {
                    continue;
                }
                try {
                    if (addresses.remove(held.interfaceName(), held.address(), held.prefixLength())) {
                        LOG.infof("swept: removed %s/%d from %s left by a previous run (VIP %s)", held.address(), held.prefixLength(),
                                held.interfaceName(), vip.name());
                    }
                } catch (IOException e) {
                    LOG.errorf("swept: cannot remove %s/%d from %s left by a previous run (VIP %s): %s", held.address(),
                            held.prefixLength(), held.interfaceName(), vip.name(), e.getMessage());
                }
            }
        }
    }
}
