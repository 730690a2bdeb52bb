package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;

/** One step that brings this node's running VIPs to the desired set; the agent carries them out in list order. */
public sealed interface VipAction {

    String name();

    record Start(VipSettings settings) implements VipAction {
        @Override
        public String name() {
            return settings.name();
        }
    }

    /**
     * Settings on ucarp's command line changed: stop this VIP's data plane (handing over first when it is master) and
     * start it again (only this VIP).
     */
    record Restart(VipSettings settings, String changes) implements VipAction {
        @Override
        public String name() {
            return settings.name();
        }
    }

    /** Only peers or heartbeats changed: hand them to the running watchdog, ucarp keeps running. */
    record UpdateTargets(VipSettings settings) implements VipAction {
        @Override
        public String name() {
            return settings.name();
        }
    }

    /**
     * Only settings the running data plane applies in place changed (watchdog, gratuitous ARP, targets, password; see
     * {@link io.carpoperator.dataplane.VipDataPlane#retune}): ucarp keeps running, except that a password change
     * restarts it onto the new password (backups at once, a master after a bounded grace). A data plane that cannot
     * retune is restarted instead.
     */
    record Retune(VipSettings settings, String changes) implements VipAction {
        @Override
        public String name() {
            return settings.name();
        }
    }

    /**
     * Stop without hand-over and, when the VirtualIP still exists, remove our node entry so its finalizer can finish.
     */
    record Stop(String name, String reason, boolean removeEntry) implements VipAction {
    }

    /** Nothing runs here, but our node entry lingers in the status of a VIP that is not for us (any more). */
    record RemoveEntry(String name, String reason) implements VipAction {
    }

    /** Nothing changes; said once so that an operator sees why an edit is not applied. */
    record Keep(String name, String reason, boolean running) implements VipAction {
    }
}
