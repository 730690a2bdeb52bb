package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.CelCostEstimator.RuleCost;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A real API server rejects a CRD whose CEL rules it estimates too expensive; the committed CRD keeps a tenth of
 * that budget so a later rule or a looser bound does not tip it over.
 */
class CelCostBudgetTest {
    static final long PER_RULE_BUDGET = CelCostEstimator.PER_RULE_LIMIT / 10;
    static final long PER_CRD_BUDGET = CelCostEstimator.PER_CRD_LIMIT / 10;

    @Test
    void everyCelRuleOfTheCommittedCrdStaysWithinATenthOfTheApiServersBudget() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CrdFiles.COMMITTED), CustomResourceDefinition.class);
        List<RuleCost> costs = CelCostEstimator.estimate(crd);
        long total = CelCostEstimator.total(costs);
        System.out.print(table(costs, total));

        assertThat(costs).as("rules found in %s", CrdFiles.COMMITTED).isNotEmpty();
        List<String> over = costs.stream().filter(c -> c.cost() > PER_RULE_BUDGET)
                .map(c -> c.path() + " costs " + c.cost() + " (limit " + PER_RULE_BUDGET + "): " + c.expression())
                .toList();
        assertThat(over).as("rules over the per-rule budget; bound the strings and lists they read (maxLength, maxItems)")
                .isEmpty();
        assertThat(total).as("estimated cost of all rules of %s", CrdFiles.COMMITTED).isLessThanOrEqualTo(PER_CRD_BUDGET);
    }

    static String table(List<RuleCost> costs, long total) {
        String rows = costs.stream()
                .map(c -> String.format("%-62s %13d x %-7d = %13d  %s", c.path(), c.maxCost(), c.cardinality(), c.cost(), c.expression()))
                .collect(Collectors.joining("\n"));
        return String.format("%-62s %13s   %-7s   %13s  %s%n%s%n%-62s %13s   %-7s   %13d%n",
                "RULE", "PER CALL", "TIMES", "COST", "EXPRESSION", rows, "TOTAL", "", "", total);
    }
}
