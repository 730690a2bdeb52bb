package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Diffs the desired VIPs against the running ones and returns what to do, stops first (a deleted VIP may free the VHID
 * a new one uses), then restarts, in-place changes (targets, retunes) and starts. Pure: no clock, no I/O.
 */
public final class VipSetReconciler {

    private VipSetReconciler() {
    }

    /**
     * @param desired what the caches say, for the VIPs under consideration
     * @param running the settings each running VIP was started (or last updated) with, for the same VIPs
     */
    public static List<VipAction> plan(Map<String, DesiredVip> desired, Map<String, VipSettings> running) {
        List<VipAction> actions = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(desired.keySet());
        names.addAll(running.keySet());
        for (String name : names) {
            DesiredVip want = desired.get(name);
            VipSettings current = running.get(name);
            if (want == null) {
                if (current != null) {
                    actions.add(new VipAction.Stop(name, "the VirtualIP was deleted", false));
                }
            } else if (want instanceof DesiredVip.Run run) {
                if (current == null) {
                    actions.add(new VipAction.Start(run.settings()));
                } else if (current.equals(run.settings())) {
                    continue;
                } else if (current.sameExceptTargets(run.settings())) {
                    actions.add(new VipAction.UpdateTargets(run.settings()));
                } else if (current.sameUcarpCommandLine(run.settings())) {
                    actions.add(new VipAction.Retune(run.settings(), changes(current, run.settings())));
                } else {
                    actions.add(new VipAction.Restart(run.settings(), changes(current, run.settings())));
                }
            } else if (want instanceof DesiredVip.KeepLast keep) {
                actions.add(new VipAction.Keep(name, keep.reason(), current != null));
            } else if (want instanceof DesiredVip.Unresolved) {
                if (current != null) {
                    actions.add(new VipAction.Keep(name, "status.resolved is missing", true));
                }
            } else if (want instanceof DesiredVip.Release release) {
                if (current != null) {
                    actions.add(new VipAction.Stop(name, release.reason(), true));
                } else if (release.entryPresent()) {
                    actions.add(new VipAction.RemoveEntry(name, release.reason()));
                }
            }
        }
        actions.sort(Comparator.comparingInt(VipSetReconciler::order));
        return actions;
    }

    private static int order(VipAction action) {
        if (action instanceof VipAction.Stop || action instanceof VipAction.RemoveEntry) {
            return 0;
        }
        if (action instanceof VipAction.Restart) {
            return 1;
        }
        if (action instanceof VipAction.UpdateTargets || action instanceof VipAction.Retune) {
            return 2;
        }
        if (action instanceof VipAction.Start) {
            return 3;
        }
        return 4;
    }

    /** Which settings differ, for the log line; the password is named, never shown. */
    static String changes(VipSettings was, VipSettings now) {
        return now.changesSince(was);
    }
}
