package io.carpoperator.agent;

import io.carpoperator.dataplane.VipSettings;

/** What this node should do with one VirtualIP, decided from the informer caches alone. */
public sealed interface DesiredVip {

    String name();

    /** Run the VIP with these settings. */
    record Run(String name, VipSettings settings) implements DesiredVip {
    }

    /** The VIP selects this node, but its configuration or Secret is unusable now: keep whatever already runs. */
    record KeepLast(String name, String reason) implements DesiredVip {
    }

    /** No resolved configuration yet (or it vanished): we cannot even tell whether it selects this node; keep what runs. */
    record Unresolved(String name) implements DesiredVip {
    }

    /**
     * Not (or no longer) for this node, or being deleted: stop it and take its entry out of our NodeReport.
     *
     * @param entryPresent our node entry is still in the VirtualIP's status
     */
    record Release(String name, String reason, boolean entryPresent) implements DesiredVip {
    }
}
