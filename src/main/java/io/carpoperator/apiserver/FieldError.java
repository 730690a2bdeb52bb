package io.carpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One field error as a real API server reports it (k8s.io/apimachinery field.Error): the cause reason, the field path
 * and the body kubectl prints after the path, e.g. {@code Invalid value: "string": address must be ...}.
 *
 * @param node the path of the schema node that raised the error, as JSON names and indices: ratcheting compares this
 *        node with its old value
 */
public record FieldError(String reason, String field, String body, List<Object> node) {

    /** A cause of these reasons stops CEL evaluation, as hasBlockingErr in the apiextensions-apiserver does. */
    boolean blocksCel() {
        return List.of("FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid")
                .contains(reason);
    }

    /** {@code spec.address: Invalid value: ...}, as in the Status message and kubectl's output. */
    @Override
    public String toString() {
        return field + ": " + body;
    }

    static FieldError invalid(String field, List<Object> node, String value, String detail) {
        return new FieldError("FieldValueInvalid", field, "Invalid value: " + value + ": " + detail, node);
    }

    static FieldError typeInvalid(String field, List<Object> node, String value, String detail) {
        return new FieldError("FieldValueTypeInvalid", field, "Invalid value: " + value + ": " + detail, node);
    }

    static FieldError notSupported(String field, List<Object> node, JsonNode value, JsonNode allowed) {
        List<String> values = allowed == null ? List.of() : toList(allowed);
        return new FieldError("FieldValueNotSupported", field,
                "Unsupported value: " + render(value) + ": supported values: " + String.join(", ", values), node);
    }

    static FieldError tooLong(String field, List<Object> node, long max) {
        return new FieldError("FieldValueTooLong", field, "Too long: may not be more than " + max + " bytes", node);
    }

    static FieldError tooMany(String field, List<Object> node, int actual, long max) {
        return new FieldError("FieldValueTooMany", field, "Too many: " + actual + ": must have at most " + max + " items", node);
    }

    static FieldError required(String field, List<Object> node, String detail) {
        return new FieldError("FieldValueRequired", field, detail.isEmpty() ? "Required value" : "Required value: " + detail, node);
    }

    static FieldError duplicate(String field, List<Object> node, String value) {
        return new FieldError("FieldValueDuplicate", field, "Duplicate value: " + value, node);
    }

    static FieldError forbidden(String field, List<Object> node, String detail) {
        return new FieldError("FieldValueForbidden", field, "Forbidden: " + detail, node);
    }

    /** A value as Go's %#v prints it in these messages: strings quoted, numbers and booleans bare, the rest as JSON. */
    static String render(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        return value.isTextual() ? quote(value.asText()) : value.toString();
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<String> toList(JsonNode allowed) {
        return java.util.stream.StreamSupport.stream(allowed.spliterator(), false).map(FieldError::render)
                .collect(Collectors.toList());
    }
}
