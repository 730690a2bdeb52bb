package io.carpoperator.dataplane;

import java.time.Duration;

/** Copies of settings with what a hitless change changes, for the data plane's and the agent's tests. */
public final class VipSettingsFixtures {

    private VipSettingsFixtures() {
    }

    public static VipSettings withPassword(VipSettings s, String password) {
        return new VipSettings(s.name(), s.address(), s.prefixLength(), s.interfaceName(), s.sourceAddress(), s.vhid(),
                s.preempt(), s.advbase(), s.advskew(), password, s.isolationEnabled(), s.peers(), s.heartbeats(),
                s.isolationHosts(), s.probes(), s.probeInterval(), s.holdLimit(), s.recoverAfter(), s.gratuitousArpInterval());
    }

    /** Other watchdog and gratuitous ARP settings; ucarp's command line stays the same. */
    public static VipSettings retuned(VipSettings s, boolean isolation, Duration probeInterval, int holdLimit, Duration garp) {
        return new VipSettings(s.name(), s.address(), s.prefixLength(), s.interfaceName(), s.sourceAddress(), s.vhid(),
                s.preempt(), s.advbase(), s.advskew(), s.password(), isolation, s.peers(), s.heartbeats(),
                s.isolationHosts(), s.probes(), probeInterval, holdLimit, s.recoverAfter(), garp);
    }
}
