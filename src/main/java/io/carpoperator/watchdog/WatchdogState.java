package io.carpoperator.watchdog;

/** States of the isolation watchdog of one VIP. */
public sealed interface WatchdogState {

    WatchdogState HEALTHY = new Healthy();
    WatchdogState ISOLATED = new Isolated();

    /** The name without counters, for metrics and status. */
    String name();

    /** Taking part in CARP; no isolated verdict pending. */
    record Healthy() implements WatchdogState {
        @Override
        public String name() {
            return "HEALTHY";
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** Still taking part in CARP, but the last {@code isolatedRounds} verdicts in a row were ISOLATED. */
    record Suspect(int isolatedRounds) implements WatchdogState {
        public Suspect {
            if (isolatedRounds < 1) {
                throw new IllegalArgumentException("isolatedRounds must be >= 1, got " + isolatedRounds);
            }
        }

        @Override
        public String name() {
            return "SUSPECT";
        }

        @Override
        public String toString() {
            return "SUSPECT(" + isolatedRounds + ")";
        }
    }

    /** Withdrawn from CARP and the address removed. */
    record Isolated() implements WatchdogState {
        @Override
        public String name() {
            return "ISOLATED";
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** Still withdrawn, but the last {@code reachableRounds} rounds in a row reached the VIP network. */
    record Recovering(int reachableRounds) implements WatchdogState {
        public Recovering {
            if (reachableRounds < 1) {
                throw new IllegalArgumentException("reachableRounds must be >= 1, got " + reachableRounds);
            }
        }

        @Override
        public String name() {
            return "RECOVERING";
        }

        @Override
        public String toString() {
            return "RECOVERING(" + reachableRounds + ")";
        }
    }

    /** Whether the node should take part in CARP in this state. */
    default boolean participates() {
        return this instanceof Healthy || this instanceof Suspect;
    }
}
