package io.carpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ValidatingAdmissionPolicy (with its binding) evaluated as the API server does, with CEL: the request matches when
 * its operation and resource fall under matchConstraints and every matchCondition is true; it is then denied by the
 * first validation that is false, with that validation's message. Only the {@code request} variable is offered — what
 * deploy/'s policy uses; a policy needing {@code object} or {@code params} fails to compile here, loudly.
 */
public final class AdmissionPolicy {
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN)
            .build();

    /** The parts of an admission request a policy may read as {@code request}. */
    public record Request(String username, Map<String, List<String>> extra, String group, String version, String resource,
            String subResource, String namespace, String name, String operation) {

        Map<String, Object> asCel() {
            Map<String, Object> userInfo = new LinkedHashMap<>();
            userInfo.put("username", username);
            Map<String, Object> claims = new LinkedHashMap<>();
            extra.forEach((key, values) -> claims.put(key, new ArrayList<>(values))); // CEL's size() wants a plain list
            userInfo.put("extra", claims);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("userInfo", userInfo);
            request.put("resource", Map.of("group", group, "version", version, "resource", resource));
            request.put("subResource", subResource);
            request.put("namespace", namespace);
            request.put("name", name);
            request.put("operation", operation);
            return request;
        }
    }

    private record Expression(String source, CelRuntime.Program program) {
        Object eval(Map<String, Object> request) throws CelEvaluationException {
            return program.eval(Map.of("request", request));
        }
    }

    private record Validation(Expression rule, Expression message, String staticMessage) {
    }

    private final String name;
    private final String binding;
    private final List<String> operations;
    private final List<Expression> matchConditions;
    private final List<Validation> validations;

    private AdmissionPolicy(String name, String binding, List<String> operations, List<Expression> matchConditions,
            List<Validation> validations) {
        this.name = name;
        this.binding = binding;
        this.operations = operations;
        this.matchConditions = matchConditions;
        this.validations = validations;
    }

    /** The policy and its binding from a multi-document YAML such as deploy/base/agent/admission-policy.yaml. */
    public static AdmissionPolicy fromYaml(String yaml) {
        JsonNode policy = null;
        String binding = null;
        try (var parser = new YAMLFactory().createParser(yaml)) {
            for (JsonNode document : new ObjectMapper().readValues(parser, JsonNode.class).readAll()) {
                switch (document.path("kind").asText()) {
                    case "ValidatingAdmissionPolicy" -> policy = document;
                    case "ValidatingAdmissionPolicyBinding" -> binding = document.path("metadata").path("name").asText();
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (policy == null || binding == null) {
            throw new IllegalArgumentException("expected a ValidatingAdmissionPolicy and its binding");
        }
        JsonNode spec = policy.path("spec");
        List<String> operations = new ArrayList<>();
        for (JsonNode rule : spec.path("matchConstraints").path("resourceRules")) {
            rule.path("operations").forEach(op -> operations.add(op.asText()));
        }
        List<Expression> conditions = new ArrayList<>();
        spec.path("matchConditions").forEach(c -> conditions.add(compile(c.path("expression").asText())));
        List<Validation> validations = new ArrayList<>();
        for (JsonNode v : spec.path("validations")) {
            String messageExpression = v.path("messageExpression").asText("");
            validations.add(new Validation(compile(v.path("expression").asText()),
                    messageExpression.isEmpty() ? null : compile(messageExpression), v.path("message").asText("")));
        }
        return new AdmissionPolicy(policy.path("metadata").path("name").asText(), binding, operations, conditions, validations);
    }

    private static Expression compile(String source) {
        try {
            return new Expression(source, CEL.createProgram(CEL.compile(source).getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("the admission policy's expression does not compile: " + source + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public String binding() {
        return binding;
    }

    /** Why the policy denies the request, or empty when it allows it (or does not apply to it). */
    public Optional<String> denial(Request request) {
        if (!operations.contains(request.operation())) {
            return Optional.empty();
        }
        Map<String, Object> cel = request.asCel();
        try {
            for (Expression condition : matchConditions) {
                if (!Boolean.TRUE.equals(condition.eval(cel))) {
                    return Optional.empty();
                }
            }
            for (Validation validation : validations) {
                if (!Boolean.TRUE.equals(validation.rule().eval(cel))) {
                    String message = validation.message() == null ? validation.staticMessage()
                            : String.valueOf(validation.message().eval(cel));
                    return Optional.of(message.isEmpty() ? "failed expression: " + validation.rule().source() : message);
                }
            }
        } catch (CelEvaluationException e) {
            // failurePolicy: Fail, as deploy/ sets it
            return Optional.of("expression evaluation failed: " + e.getMessage());
        }
        return Optional.empty();
    }
}
