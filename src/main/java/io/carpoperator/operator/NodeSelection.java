package io.carpoperator.operator;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Which nodes a VirtualIP's nodeSelector picks, with Kubernetes label-selector semantics. */
final class NodeSelection {
    private NodeSelection() {
    }

    static List<String> selectedNodeNames(LabelSelector selector, Collection<Node> nodes) {
        return nodes.stream()
                .filter(node -> matches(selector, node.getMetadata().getLabels()))
                .map(node -> node.getMetadata().getName())
                .sorted()
                .toList();
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (var entry : selector.getMatchLabels().entrySet()) {
                if (!entry.getValue().equals(actual.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!matches(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(requirement.getKey());
            case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
            default -> throw new IllegalArgumentException("unknown operator '" + requirement.getOperator() + "'");
        };
    }

    /** A selector whose operators we cannot evaluate is a user error, reported like any other field. */
    static java.util.Optional<String> problem(LabelSelector selector) {
        if (selector == null || selector.getMatchExpressions() == null) {
            return java.util.Optional.empty();
        }
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
            String op = requirement.getOperator();
            if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
                return java.util.Optional.of("operator '" + op + "' of key '" + requirement.getKey()
                        + "' is not one of In, NotIn, Exists, DoesNotExist");
            }
            boolean needsValues = op.equals("In") || op.equals("NotIn");
            boolean hasValues = requirement.getValues() != null && !requirement.getValues().isEmpty();
            if (needsValues != hasValues) {
                return java.util.Optional.of("operator '" + op + "' of key '" + requirement.getKey()
                        + (needsValues ? "' needs values" : "' takes no values"));
            }
        }
        return java.util.Optional.empty();
    }
}
