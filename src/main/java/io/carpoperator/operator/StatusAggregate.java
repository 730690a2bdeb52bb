package io.carpoperator.operator;

import io.carpoperator.api.Phase;
import io.carpoperator.api.ResolvedConfig;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The status fields the operator owns; everything under status.nodes belongs to the agents. */
record StatusAggregate(Long observedGeneration, Integer vhid, String master, Phase phase, List<Condition> conditions,
        ResolvedConfig resolved) {
}
