package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpoperator.api.CelCostEstimator.RuleCost;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * Cases of TestCostEstimation in k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/compilation_test.go: the
     * same schema and rule, costed without and with a bound (maxItems, maxProperties or maxLength). Its cases that
     * expect 0 are left out: upstream checks only expectations above 0.
     */
    static Stream<Arguments> kubernetesCostEstimationCases() {
        return Stream.of(
                upstream("number array with all", array("number"), "self.all(x, true)", 10, 4_718_591, 32),
                upstream("string array with all", array("string"), "self.all(x, true)", 20, 3_145_727, 62),
                upstream("boolean array with all", array("boolean"), "self.all(x, true)", 5, 1_887_437, 17),
                upstream("map of numbers with all", map("number"), "self.all(x, true)", 10, 1_348_169, 32),
                upstream("map of strings with all", map("string"), "self.all(x, true)", 3, 1_179_647, 11),
                upstream("string with contains", string("string"), "self.contains('test')", 10, 314_574, 5),
                upstream("string with startsWith", string("string"), "self.startsWith('test')", 15, 2, 2),
                upstream("concat string", string("string"), "size(self + \"hello\") > size(\"hello\")", 4, 314_578, 7),
                upstream("index of array with numbers", array("number"), "self[1] == 0.0", 5000, 2, 2),
                upstream("index of array with strings", array("string"), "self[1] == self[1]", 8, 314_577, 314_577),
                upstream("O(n^2) loop with numbers", array("number"), "self.all(x, self.all(y, true))", 10, -1, 352),
                upstream("O(n^3) loop with numbers", array("number"), "self.all(x, self.all(y, self.all(z, true)))", 10, -1, 3552),
                upstream("regex matches simple", string("string"), "self.matches(\"x\")", 50, 314_574, 22),
                upstream("regex matches empty string", string("string"), "\"\".matches(\"(((((((((())))))))))[0-9]\")", 10, 7, 7),
                upstream("regex matches empty regex", string("string"), "self.matches(\"\")", 100, 1, 1),
                upstream("set string maxLength to zero", string("string"), "self == \"x\"", 0, 2, 1),
                upstream("set bytes maxLength to zero", string("bytes"), "self == b\"x\"", 0, 2, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubernetesCostEstimationCases")
    void agreesWithKubernetesOwnCostEstimationTests(String name, Function<Long, String> schema, String rule, long bound,
            long unboundedCost, long boundedCost) {
        if (unboundedCost >= 0) {
            assertThat(perCall(schema.apply(null), rule)).as("without a bound").isEqualTo(unboundedCost);
        } else {
            assertThat(perCall(schema.apply(null), rule)).as("without a bound").isGreaterThan(CelCostEstimator.PER_RULE_LIMIT);
        }
        assertThat(perCall(schema.apply(bound), rule)).as("bounded by %d", bound).isEqualTo(boundedCost);
    }

    private static long perCall(String schemaYaml, String rule) {
        String yaml = schemaYaml + "x-kubernetes-validations:\n- rule: '" + rule.replace("'", "''") + "'\n";
        return only(CelCostEstimator.estimate(Serialization.unmarshal(yaml, JSONSchemaProps.class))).maxCost();
    }

    private static Arguments upstream(String name, Function<Long, String> schema, String rule, long bound, long unbounded, long bounded) {
        return Arguments.of(name, schema, rule, bound, unbounded, bounded);
    }

    private static Function<Long, String> array(String itemType) {
        return max -> "type: array\nitems:\n  type: " + itemType + "\n" + (max == null ? "" : "maxItems: " + max + "\n");
    }

    private static Function<Long, String> map(String valueType) {
        return max -> "type: object\nadditionalProperties:\n  type: " + valueType + "\n" + (max == null ? "" : "maxProperties: " + max + "\n");
    }

    /** A string, or with "bytes" a string of format byte. */
    private static Function<Long, String> string(String kind) {
        String format = kind.equals("bytes") ? "format: byte\n" : "";
        return max -> "type: string\n" + format + (max == null ? "" : "maxLength: " + max + "\n");
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
