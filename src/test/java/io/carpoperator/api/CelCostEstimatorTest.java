package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.api.CelCostEstimator.RuleCost;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimator against schemas whose costs were worked out by hand from the upstream formulas. */
class CelCostEstimatorTest {

    /** Wraps a property schema in a resource root, as a CRD's openAPIV3Schema would hold it. */
    private static List<RuleCost> estimate(String propertyYaml) {
        String indented = propertyYaml.indent(6);
        JSONSchemaProps schema = Serialization.unmarshal("type: object\nproperties:\n  x:\n" + indented, JSONSchemaProps.class);
        return CelCostEstimator.estimate(schema);
    }

    private static RuleCost only(List<RuleCost> costs) {
        assertThat(costs).hasSize(1);
        return costs.get(0);
    }

    @Test
    void matchesOnABoundedStringCostsItsTraversalTimesTheRegexLength() {
        RuleCost cost = only(estimate("""
                type: string
                maxLength: 10
                x-kubernetes-validations:
                - rule: "self.matches('^[a-z]+$')"
                """));
        // maxLength 10 runes = 40 bytes; ceil((40 + 1) * 0.1) = 5 times ceil(8 * 0.25) = 2, plus 1 for reading self
        assertThat(cost.maxCost()).isEqualTo(11);
        assertThat(cost.cardinality()).isEqualTo(1);
        assertThat(cost.cost()).isEqualTo(11);
        assertThat(cost.path()).isEqualTo("x x-kubernetes-validations[0].rule");
    }

    @Test
    void allOverAnUnboundedListOfUnboundedStringsIsSizedByTheRequestLimit() {
        RuleCost cost = only(estimate("""
                type: array
                items:
                  type: string
                x-kubernetes-validations:
                - rule: "self.all(s, s.matches('^a$'))"
                """));
        // (3 MiB - 2) / 3 = 1048575 items of up to 3 MiB - 2 bytes: each matches costs ceil(3145727 * 0.1) * 1 + 1,
        // the && 1 more, the loop condition 2; plus 1 for the range and 1 for the result
        assertThat(cost.maxCost()).isEqualTo(1 + 1 + 1_048_575L * (314_573 + 1 + 1 + 2));
        assertThat(cost.cost()).isEqualTo(329_857_577_777L);
    }

    @Test
    void aRuleUnderNestedBoundedListsRunsOncePerCombinationOfItems() {
        RuleCost cost = only(estimate("""
                type: array
                maxItems: 4
                items:
                  type: array
                  maxItems: 5
                  items:
                    type: string
                    maxLength: 3
                    x-kubernetes-validations:
                    - rule: "self == 'abc'"
                """));
        // comparing with a 3-rune literal: ceil(3 * 0.1) = 1, plus 1 for reading self
        assertThat(cost.maxCost()).isEqualTo(2);
        assertThat(cost.cardinality()).isEqualTo(20);
        assertThat(cost.cost()).isEqualTo(40);
        assertThat(cost.path()).isEqualTo("x[*][*] x-kubernetes-validations[0].rule");
    }

    @Test
    void aRuleUnderAnUnboundedListRunsAsOftenAsTheSmallestItemFitsInARequest() {
        RuleCost cost = only(estimate("""
                type: array
                items:
                  type: object
                  required: [name]
                  properties:
                    name:
                      type: string
                      maxLength: 5
                  x-kubernetes-validations:
                  - rule: "self.name.size() <= 5"
                """));
        // smallest item {"name":""} is 2 + 4 + 2 + 4 = 12 bytes: 3 MiB / 13 = 241979 items; self.name 2, size 1, <= 1
        assertThat(cost.maxCost()).isEqualTo(4);
        assertThat(cost.cardinality()).isEqualTo(241_979);
        assertThat(cost.cost()).isEqualTo(967_916);
    }

    @Test
    void uniquenessByExistsOneIsQuadraticInTheListLength() {
        RuleCost cost = only(estimate("""
                type: array
                maxItems: 3
                items:
                  type: string
                  maxLength: 2
                x-kubernetes-validations:
                - rule: "self.all(n, self.exists_one(m, m == n))"
                """));
        // inner loop: 1 + 2 (result) + 3 * (m == n: 3, then ?: picks the dearer branch, accu + 1: 2) = 18;
        // outer loop: 1 + 1 (result) + 3 * (&&: 1 + 18, condition: 2) = 65
        assertThat(cost.maxCost()).isEqualTo(65);
    }

    @Test
    void aPresenceTestCostsOnlyItsOperandAsKubernetesConfiguresCel() {
        RuleCost cost = only(estimate("""
                type: object
                properties:
                  name:
                    type: string
                x-kubernetes-validations:
                - rule: "has(self.name)"
                """));
        // reading self is 1; has() itself is free (PresenceTestHasCost(false))
        assertThat(cost.maxCost()).isEqualTo(1);
    }

    @Test
    void messageExpressionsCountToo() {
        List<RuleCost> costs = estimate("""
                type: string
                maxLength: 10
                x-kubernetes-validations:
                - rule: "self.size() > 0"
                  messageExpression: "'bad: ' + self"
                """);
        assertThat(costs).extracting(RuleCost::path).containsExactly(
                "x x-kubernetes-validations[0].rule", "x x-kubernetes-validations[0].messageExpression");
        // concatenation traverses both strings: ceil((5 + 40) * 0.1) = 5, plus 1 for reading self
        assertThat(costs.get(1).maxCost()).isEqualTo(6);
    }

    @Test
    void aRuleThatDoesNotCompileIsReportedWithItsPathRatherThanCostedAtZero() {
        assertThatThrownBy(() -> estimate("""
                type: string
                x-kubernetes-validations:
                - rule: "isIP(self)"
                """)).hasMessageContaining("x x-kubernetes-validations[0].rule").hasMessageContaining("isIP(self)");
    }
}
