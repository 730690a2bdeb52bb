package io.carpoperator.bench;

/** The faults the data-plane benchmark injects on the master (node1). */
enum Scenario {
    KILL("kill", "master crashed (SIGKILL to every process of its instance, VIP flushed from node1)",
            "SIGKILL + VIP flushed"),
    LINK_DOWN("link-down", "master's link down (ip link set eth0 down: carrier lost)", "link down"),
    GRACEFUL("graceful", "graceful stop of the master (SIGTERM)", "SIGTERM"),
    ISOLATION("isolation", "master isolated (switch port disabled, carrier and heartbeat kept), then healed",
            "isolated");

    private final String slug;
    private final String description;
    private final String markerLabel;

    Scenario(String slug, String description, String markerLabel) {
        this.slug = slug;
        this.description = description;
        this.markerLabel = markerLabel;
    }

    /** The fault's label on the timeline. */
    String markerLabel() {
        return markerLabel;
    }

    String slug() {
        return slug;
    }

    String description() {
        return description;
    }

    /** True when the figure is the client's outage; the isolation scenario measures withdraw and recovery instead. */
    boolean measuresOutage() {
        return this != ISOLATION;
    }
}
