package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A VirtualIP's nodeSelector with the API server's label-selector semantics, and the selectors it cannot evaluate. */
class NodeSelectionTest {

    private static Node node(String name, Map<String, String> labels) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(name);
        metadata.setLabels(labels);
        Node node = new Node();
        node.setMetadata(metadata);
        return node;
    }

    private static LabelSelector labels(Map<String, String> matchLabels) {
        return new LabelSelector(null, matchLabels);
    }

    private static LabelSelector expressions(LabelSelectorRequirement... requirements) {
        return new LabelSelector(List.of(requirements), null);
    }

    private static LabelSelectorRequirement requirement(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, values.length == 0 ? null : List.of(values));
    }

    private static final Map<String, String> RACK_1 = Map.of("rack", "1", "carp", "");

    @Test
    void selectsTheMatchingNodesByNameInOrder() {
        var nodes = List.of(node("c", Map.of("rack", "1")), node("a", Map.of("rack", "1")), node("b", Map.of("rack", "2")),
                node("d", null));
        assertThat(NodeSelection.selectedNodeNames(labels(Map.of("rack", "1")), nodes)).containsExactly("a", "c");
        assertThat(NodeSelection.selectedNodeNames(null, nodes)).as("no selector selects every node").containsExactly("a", "b", "c", "d");
    }

    @Test
    void matchLabelsNeedEveryLabelWithItsValue() {
        assertThat(NodeSelection.matches(labels(Map.of("rack", "1")), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(labels(Map.of("rack", "1", "carp", "")), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(labels(Map.of("rack", "2")), RACK_1)).as("another value").isFalse();
        assertThat(NodeSelection.matches(labels(Map.of("rack", "1", "zone", "x")), RACK_1)).as("one label missing").isFalse();
        assertThat(NodeSelection.matches(labels(Map.of("rack", "1")), null)).as("a node without labels").isFalse();
    }

    @Test
    void anEmptySelectorOrNoSelectorMatchesEveryNode() {
        assertThat(NodeSelection.matches(null, RACK_1)).isTrue();
        assertThat(NodeSelection.matches(null, null)).isTrue();
        assertThat(NodeSelection.matches(new LabelSelector(null, null), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(new LabelSelector(List.of(), Map.of()), null)).isTrue();
    }

    @Test
    void inNeedsTheLabelWithOneOfTheValues() {
        assertThat(NodeSelection.matches(expressions(requirement("rack", "In", "2", "1")), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(expressions(requirement("rack", "In", "2", "3")), RACK_1)).isFalse();
        assertThat(NodeSelection.matches(expressions(requirement("zone", "In", "2")), RACK_1)).as("label missing").isFalse();
    }

    @Test
    void notInMatchesAMissingLabelOrAnotherValue() {
        assertThat(NodeSelection.matches(expressions(requirement("rack", "NotIn", "2", "3")), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(expressions(requirement("rack", "NotIn", "2", "1")), RACK_1)).isFalse();
        assertThat(NodeSelection.matches(expressions(requirement("zone", "NotIn", "1")), RACK_1)).as("label missing").isTrue();
        assertThat(NodeSelection.matches(expressions(requirement("zone", "NotIn", "1")), null)).as("no labels at all").isTrue();
    }

    @Test
    void existsAndDoesNotExistLookAtTheKeyOnlyEvenWithAnEmptyValue() {
        assertThat(NodeSelection.matches(expressions(requirement("carp", "Exists")), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(expressions(requirement("zone", "Exists")), RACK_1)).isFalse();
        assertThat(NodeSelection.matches(expressions(requirement("carp", "DoesNotExist")), RACK_1)).isFalse();
        assertThat(NodeSelection.matches(expressions(requirement("zone", "DoesNotExist")), RACK_1)).isTrue();
    }

    @Test
    void everyExpressionAndEveryLabelMustHold() {
        assertThat(NodeSelection.matches(expressions(requirement("carp", "Exists"), requirement("rack", "In", "1")), RACK_1)).isTrue();
        assertThat(NodeSelection.matches(expressions(requirement("carp", "Exists"), requirement("rack", "In", "2")), RACK_1))
                .as("the second fails").isFalse();
        assertThat(NodeSelection.matches(expressions(requirement("zone", "Exists"), requirement("rack", "In", "1")), RACK_1))
                .as("the first fails").isFalse();
        var both = new LabelSelector(List.of(requirement("carp", "Exists")), Map.of("rack", "2"));
        assertThat(NodeSelection.matches(both, RACK_1)).as("the expression holds, the label does not").isFalse();
    }

    @Test
    void anOperatorItCannotEvaluateIsRefusedNamingIt() {
        assertThatThrownBy(() -> NodeSelection.matches(expressions(requirement("rack", "Gt", "1")), RACK_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown operator 'Gt'");
    }

    @Test
    void aSelectorWithKnownOperatorsAndFittingValuesHasNoProblem() {
        assertThat(NodeSelection.problem(null)).isEmpty();
        assertThat(NodeSelection.problem(labels(Map.of("rack", "1")))).as("no expressions").isEmpty();
        assertThat(NodeSelection.problem(expressions(requirement("rack", "In", "1"), requirement("rack", "NotIn", "2"),
                requirement("carp", "Exists"), requirement("zone", "DoesNotExist")))).isEmpty();
    }

    @Test
    void anUnknownOperatorIsAProblemNamingOperatorAndKey() {
        assertThat(NodeSelection.problem(expressions(requirement("rack", "In", "1"), requirement("rack", "Gt", "1"))))
                .contains("operator 'Gt' of key 'rack' is not one of In, NotIn, Exists, DoesNotExist");
    }

    @Test
    void inAndNotInNeedValuesAndExistsAndDoesNotExistTakeNone() {
        assertThat(NodeSelection.problem(expressions(requirement("rack", "In")))).contains("operator 'In' of key 'rack' needs values");
        assertThat(NodeSelection.problem(expressions(new LabelSelectorRequirement("rack", "In", List.of()))))
                .as("an empty list").contains("operator 'In' of key 'rack' needs values");
        assertThat(NodeSelection.problem(expressions(requirement("rack", "NotIn")))).contains("operator 'NotIn' of key 'rack' needs values");
        assertThat(NodeSelection.problem(expressions(requirement("carp", "Exists", "x"))))
                .contains("operator 'Exists' of key 'carp' takes no values");
        assertThat(NodeSelection.problem(expressions(requirement("carp", "DoesNotExist", "x"))))
                .contains("operator 'DoesNotExist' of key 'carp' takes no values");
        assertThat(NodeSelection.problem(expressions(new LabelSelectorRequirement("carp", "Exists", List.of()))))
                .as("an empty list is no values").isEmpty();
    }
}
