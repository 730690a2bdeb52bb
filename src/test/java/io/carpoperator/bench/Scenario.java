package io.carpoperator.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The faults the data-plane benchmark injects on the master (node1). */
enum Scenario {
    KILL("kill", "master crashed (SIGKILL to every process of its instance, VIP flushed from node1)",
            "SIGKILL + VIP flushed"),
    LINK_DOWN("link-down", "master's link down (ip link set eth0 down: carrier lost)", "link down"),
    GRACEFUL("graceful", "graceful stop of the master (SIGTERM to its main process)", "SIGTERM main"),
    GRACEFUL_GROUP("graceful-group", "graceful stop of the master (SIGTERM to its main process's group)",
            "SIGTERM group"),
    GRACEFUL_ALL("graceful-all", "graceful stop of the master (SIGTERM to every process of its instance at once)",
            "SIGTERM all"),
    UCARP_CRASH("ucarp-crash", "the master's ucarp crashed (SIGKILL to the agent's ucarp child only)", "ucarp SIGKILL"),
    ISOLATION("isolation", "master isolated (switch port disabled, carrier and heartbeat kept), then healed",
            "isolated");

    /** Not a scenario but a selectable part of the benchmark: the agent's memory and CPU. */
    static final String FOOTPRINT = "footprint";
    static final String ALL = "all";

    private final String slug;
    private final String description;
    private final String markerLabel;

    Scenario(String slug, String description, String markerLabel) {
        this.slug = slug;
        this.description = description;
        this.markerLabel = markerLabel;
    }

    /**
     * The scenarios a {@code bench.scenarios} value names: {@code all}, or slugs separated by commas, among which
     * {@code footprint} is allowed and selects none. An unknown slug is an error, not a silently shorter run.
     */
    static Set<Scenario> parse(String value) {
        Set<Scenario> chosen = EnumSet.noneOf(Scenario.class);
        List<String> unknown = new ArrayList<>();
        for (String slug : value.split(",")) {
            String wanted = slug.strip();
            if (wanted.equals(ALL)) {
                return EnumSet.allOf(Scenario.class);
            }
            if (wanted.equals(FOOTPRINT)) {
                continue;
            }
            Arrays.stream(values()).filter(s -> s.slug.equals(wanted)).findFirst()
                    .ifPresentOrElse(chosen::add, () -> unknown.add(wanted));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.format("bench.scenarios: unknown %s in '%s'; known: %s, %s, %s",
                    unknown, value, ALL, FOOTPRINT, Arrays.stream(values()).map(Scenario::slug)
                            .collect(Collectors.joining(", "))));
        }
        return chosen;
    }

    /** True when {@code value} selects the footprint measurement. */
    static boolean selectsFootprint(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).anyMatch(s -> s.equals(ALL) || s.equals(FOOTPRINT));
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
}
