package io.carpoperator.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One active operator at a time: the others wait on a Lease in the operator's namespace (active in the prod profile). */
public class LeaderElection {
    static final String LEASE_NAME = "carp-operator-leader";

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
        return new LeaderElectionConfiguration(LEASE_NAME, settings.namespace());
    }
}
