package io.carpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code x-kubernetes-validations} entry compiled with CEL, evaluated as the apiextensions-apiserver does: {@code self}
 * is the node's value (objects as maps, integers as int, numbers as double), {@code oldSelf} its old value on update;
 * a rule that uses {@code oldSelf} (a transition rule) runs only when an old value exists.
 */
final class CelRule {
    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
    /** The standard macros and the extension libraries Kubernetes also enables (strings, sets, lists, math, encoders). */
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.math(), CelExtensions.encoders(), CelExtensions.lists(),
                    CelExtensions.sets(dev.cel.common.CelOptions.current().build()))
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.math(), CelExtensions.encoders(), CelExtensions.lists(),
                    CelExtensions.sets(dev.cel.common.CelOptions.current().build()))
            .build();

    private final String rule;
    private final String message;
    private final String fieldPath;
    private final String reason;
    private final CelRuntime.Program program;
    private final CelRuntime.Program messageProgram;
    private final boolean usesOldSelf;
    private final String compileError;

    private CelRule(JsonNode spec) {
        this.rule = spec.path("rule").asText();
        this.message = spec.path("message").asText("");
        this.fieldPath = spec.path("fieldPath").asText("");
        this.reason = spec.path("reason").asText("FieldValueInvalid");
        this.usesOldSelf = OLD_SELF.matcher(rule).find();
        CelRuntime.Program compiled = null;
        String error = null;
        try {
            compiled = CEL.createProgram(CEL.compile(rule).getAst());
        } catch (CelValidationException | CelEvaluationException e) {
            error = e.getMessage();
        }
        this.program = compiled;
        this.compileError = error;
        String expression = spec.path("messageExpression").asText("");
        CelRuntime.Program messageCompiled = null;
        if (!expression.isEmpty()) {
            try {
                messageCompiled = CEL.createProgram(CEL.compile(expression).getAst());
            } catch (CelValidationException | CelEvaluationException e) {
                messageCompiled = null; // a real server refuses such a CRD; here the static message stands in
            }
        }
        this.messageProgram = messageCompiled;
    }

    /**
     * Loads and initialises CEL (seconds on a busy machine) on the calling thread, so that the first CRD does not
     * stall the mock server's event loop.
     */
    static void warmUp() {
        new CelRule(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("rule", "self.all(x, x.matches('^a$'))"))
                .check("", List.of(), "array", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add("a"), null);
    }

    static List<CelRule> of(JsonNode validations) {
        List<CelRule> rules = new ArrayList<>();
        if (validations != null && validations.isArray()) {
            validations.forEach(v -> rules.add(new CelRule(v)));
        }
        return rules;
    }

    boolean usesOldSelf() {
        return usesOldSelf;
    }

    /**
     * Evaluates the rule on a node; empty when it holds. {@code type} is the schema type, which a real server prints
     * as the "value" of a rule's error ({@code Invalid value: "string": ...}).
     */
    Optional<FieldError> check(String path, List<Object> node, String type, JsonNode self, JsonNode oldSelf) {
        String value = FieldError.quote(type);
        if (compileError != null) {
            return Optional.of(FieldError.invalid(path, node, value, "rule compile error: " + compileError));
        }
        Map<String, Object> activation = new HashMap<>();
        activation.put("self", toCel(self));
        if (oldSelf != null) {
            activation.put("oldSelf", toCel(oldSelf));
        }
        Object result;
        try {
            result = program.eval(activation);
        } catch (CelEvaluationException e) {
            return Optional.of(FieldError.invalid(path, node, value, e.getMessage() + " evaluating rule: " + ruleText()));
        }
        if (Boolean.TRUE.equals(result)) {
            return Optional.empty();
        }
        String field = fieldPath.isEmpty() ? path : join(path, normalize(fieldPath));
        String detail = messageFrom(activation).orElse(message.isEmpty() ? "failed rule: " + ruleText() : message);
        return Optional.of(switch (reason) {
            case "FieldValueForbidden" -> FieldError.forbidden(field, node, detail);
            case "FieldValueRequired" -> FieldError.required(field, node, detail);
            case "FieldValueDuplicate" -> FieldError.duplicate(field, node, value);
            default -> FieldError.invalid(field, node, value, detail);
        });
    }

    private Optional<String> messageFrom(Map<String, Object> activation) {
        if (messageProgram == null) {
            return Optional.empty();
        }
        try {
            Object text = messageProgram.eval(activation);
            return text instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
        } catch (CelEvaluationException e) {
            return Optional.empty();
        }
    }

    private String ruleText() {
        return rule.replace("\n", " ").strip();
    }

    /** {@code .foo['bar'].baz} → {@code foo.bar.baz}, the way the field path of a rule's error reads. */
    private static String normalize(String jsonPath) {
        String path = jsonPath.replaceAll("\\['([^']*)'\\]", ".$1");
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String join(String base, String child) {
        return base.isEmpty() ? child : base + "." + child;
    }

    /** Kubernetes' CEL conventions for JSON: objects as maps, integers as int, numbers as double, null as null. */
    static Object toCel(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return com.google.protobuf.NullValue.NULL_VALUE;
        }
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(v -> list.add(toCel(v)));
            return list;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }
}
