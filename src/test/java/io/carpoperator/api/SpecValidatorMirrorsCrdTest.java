package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the committed CRD's spec schema, found by walking it, is checked against SpecValidator from both sides:
 * a value on the boundary passes, one past it is rejected naming the field. A rule this test does not know (a new
 * keyword, a CEL rule without an example) fails it, so the operator cannot fall behind the schema unnoticed.
 */
class SpecValidatorMirrorsCrdTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Keywords that carry no rule to mirror: types are checked by TolerantJson, descriptions are text. */
    private static final Set<String> NOT_RULES = Set.of("type", "description", "properties", "items", "additionalProperties");
    /** For each CEL rule, a value that breaks it. */
    private static final Map<String, JsonNode> CEL_VIOLATIONS = Map.of(
            "spec.address", JSON.textNode("198.51.100.10"),
            "spec.interface", JSON.textNode("eth 0"),
            "spec.isolation.hosts", JSON.arrayNode().add("gateway"),
            "spec.preferredNodes", JSON.arrayNode().add("node-a").add("node-a"));
    /** Distinct valid items for the lists, so only the rule under test is broken. */
    private static final Map<String, IntFunction<JsonNode>> ITEMS = Map.of(
            "spec.isolation.hosts", i -> JSON.textNode("203.0.113." + (i + 1)),
            "spec.preferredNodes", i -> JSON.textNode("node-" + i),
            "spec.isolation.probes", i -> JSON.textNode(List.of("ICMP", "ARP").get(i % 2)));

    private final List<String> checked = new ArrayList<>();

    @Test
    void everySchemaRuleOfTheSpecIsEnforcedByTheValidatorToo() throws Exception {
        var crd = SERIALIZATION.unmarshal(Files.readString(CrdFiles.COMMITTED), CustomResourceDefinition.class);
        JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        walk("spec", spec);
        assertThat(checked).as("rules checked").contains(
                "spec.vhid minimum 1", "spec.vhid maximum 255", "spec.isolation.hosts maxItems 8", "spec.isolation.probes items enum",
                "spec.interface maxLength 15", "spec required passwordSecretRef");
    }

    private void walk(String path, JSONSchemaProps schema) {
        if (path.equals("spec.nodeSelector")) {
            // a Kubernetes LabelSelector, checked by NodeSelection.problem in the operator
            return;
        }
        Map<String, Object> keywords = SERIALIZATION.convertValue(schema, Map.class);
        for (String keyword : keywords.keySet()) {
            if (!NOT_RULES.contains(keyword)) {
                check(path, keyword, schema);
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> walk(path + "." + name, child));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            checkItems(path, schema.getItems().getSchema());
        }
    }

    private void check(String path, String keyword, JSONSchemaProps schema) {
        switch (keyword) {
            case "minimum" -> {
                long min = schema.getMinimum().longValue();
                passes(path, JSON.numberNode(min));
                fails(path, JSON.numberNode(min - 1));
            }
            case "maximum" -> {
                long max = schema.getMaximum().longValue();
                passes(path, JSON.numberNode(max));
                fails(path, JSON.numberNode(max + 1));
            }
            case "minItems" -> {
                int min = schema.getMinItems().intValue();
                passes(path, list(path, min));
                fails(path, list(path, min - 1));
            }
            case "maxItems" -> {
                int max = schema.getMaxItems().intValue();
                passes(path, list(path, max));
                fails(path, list(path, max + 1));
            }
            case "minLength" -> {
                int min = schema.getMinLength().intValue();
                passes(path, JSON.textNode("a".repeat(min)));
                fails(path, JSON.textNode("a".repeat(min - 1)));
            }
            case "maxLength" -> {
                int max = schema.getMaxLength().intValue();
                passes(path, JSON.textNode(atLength(path, max)));
                fails(path, JSON.textNode(atLength(path, max) + "1"));
            }
            case "required" -> {
                for (String field : schema.getRequired()) {
                    ObjectNode spec = validSpec();
                    ObjectNode parent = path.equals("spec") ? spec : (ObjectNode) spec.at(pointer(path));
                    parent.remove(field);
                    assertProblem(path + "." + field, spec, true, "required " + field);
                    checked.add(path + " required " + field);
                }
                return;
            }
            case "x-kubernetes-validations" -> {
                JsonNode violation = CEL_VIOLATIONS.get(path);
                assertThat(violation).as("a value breaking the CEL rule of %s: add one to CEL_VIOLATIONS", path).isNotNull();
                fails(path, violation);
            }
            case "x-kubernetes-list-type" -> {
                assertThat(schema.getXKubernetesListType()).as(path + " list type").isIn("set", "atomic");
                if (schema.getXKubernetesListType().equals("set")) {
                    fails(path, JSON.arrayNode().add(ITEMS.get(path).apply(0)).add(ITEMS.get(path).apply(0)));
                }
            }
            default -> throw new AssertionError("the CRD has a rule this test does not know: " + path + " " + keyword
                    + "; mirror it in SpecValidator and teach this test to check it");
        }
        checked.add(path + " " + keyword + describe(keyword, schema));
    }

    /** Rules on list items: checked on the first item of an otherwise valid list. */
    private void checkItems(String path, JSONSchemaProps items) {
        Map<String, Object> keywords = SERIALIZATION.convertValue(items, Map.class);
        for (String keyword : keywords.keySet()) {
            switch (keyword) {
                case "type", "description" -> {
                }
                case "enum" -> {
                    for (JsonNode value : items.getEnum()) {
                        passes(path, JSON.arrayNode().add(value));
                    }
                    fails(path, JSON.arrayNode().add("TCP"));
                    checked.add(path + " items enum");
                }
                case "maxLength" -> {
                    int max = items.getMaxLength().intValue();
                    passes(path, JSON.arrayNode().add(atLength(path, max)));
                    fails(path, JSON.arrayNode().add(atLength(path, max) + "1"));
                    checked.add(path + " items maxLength " + max);
                }
                case "minLength" -> {
                    fails(path, JSON.arrayNode().add(""));
                    checked.add(path + " items minLength");
                }
                default -> throw new AssertionError("the CRD has a rule on list items this test does not know: " + path + " items "
                        + keyword + "; mirror it in SpecValidator and teach this test to check it");
            }
        }
    }

    private static String describe(String keyword, JSONSchemaProps schema) {
        return switch (keyword) {
            case "minimum" -> " " + schema.getMinimum().longValue();
            case "maximum" -> " " + schema.getMaximum().longValue();
            case "minItems" -> " " + schema.getMinItems();
            case "maxItems" -> " " + schema.getMaxItems();
            case "minLength" -> " " + schema.getMinLength();
            case "maxLength" -> " " + schema.getMaxLength();
            default -> "";
        };
    }

    /** A valid value exactly {@code length} long: addresses must stay addresses to pass every other check. */
    private static String atLength(String path, int length) {
        String value = switch (path) {
            case "spec.address" -> "198.251.100.100/24";
            case "spec.isolation.hosts" -> "198.251.100.100";
            default -> "a".repeat(length);
        };
        assertThat(value).as("a valid %s of the maximum length", path).hasSize(length);
        return value;
    }

    private ArrayNode list(String path, int size) {
        ArrayNode list = JSON.arrayNode();
        for (int i = 0; i < size; i++) {
            list.add(ITEMS.get(path).apply(i));
        }
        return list;
    }

    private void passes(String path, JsonNode value) {
        assertProblem(path, with(path, value), false, "value " + value);
    }

    private void fails(String path, JsonNode value) {
        assertProblem(path, with(path, value), true, "value " + value);
    }

    private static void assertProblem(String path, ObjectNode spec, boolean expected, String what) {
        // as the informers read it: through VirtualIP's tolerant spec property
        ObjectNode vip = JSON.objectNode().put("apiVersion", VirtualIP.GROUP + "/" + VirtualIP.VERSION).put("kind", "VirtualIP");
        vip.putObject("metadata").put("name", "mirror");
        vip.set("spec", spec);
        List<FieldProblem> problems = SpecValidator.validate(SERIALIZATION.convertValue(vip, VirtualIP.class).getSpec());
        boolean found = problems.stream().anyMatch(p -> p.field().startsWith(path));
        assertThat(found).as("%s with %s: expected %s, got %s", path, what, expected ? "a problem" : "none", problems).isEqualTo(expected);
    }

    private static ObjectNode with(String path, JsonNode value) {
        ObjectNode spec = validSpec();
        String[] steps = path.split("\\.");
        ObjectNode parent = spec;
        for (int i = 1; i < steps.length - 1; i++) {
            parent = parent.has(steps[i]) ? (ObjectNode) parent.get(steps[i]) : parent.putObject(steps[i]);
        }
        parent.set(steps[steps.length - 1], value);
        return spec;
    }

    private static String pointer(String path) {
        return "/" + path.substring("spec.".length()).replace('.', '/');
    }

    private static ObjectNode validSpec() {
        ObjectNode spec = JSON.objectNode().put("address", "198.51.100.10/24");
        spec.putObject("passwordSecretRef").put("name", "carp-password").put("key", "password");
        return spec;
    }
}
