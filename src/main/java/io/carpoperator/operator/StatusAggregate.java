package io.carpoperator.operator;

import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.Phase;
import io.carpoperator.api.ResolvedConfig;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/** The VirtualIP status the operator writes, the per-node view from the nodes' reports included. */
record StatusAggregate(Long observedGeneration, Integer vhid, String master, Phase phase, List<Condition> conditions,
        ResolvedConfig resolved, Map<String, NodeStatus> nodes) {
}
