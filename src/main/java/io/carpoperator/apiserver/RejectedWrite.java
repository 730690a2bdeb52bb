package io.carpoperator.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A write the server refuses, answered with the {@code Status} a real kube-apiserver sends: 422 Invalid with one cause
 * per field error, or 400 BadRequest for unknown fields under {@code fieldValidation=Strict}.
 */
public final class RejectedWrite extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int code;
    private final String status;

    private RejectedWrite(int code, String message, String status) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    /** {@code VirtualIP.carp-operator.io "web" is invalid: spec.address: Invalid value: ...}, one cause per error. */
    public static RejectedWrite invalid(String group, String kind, String name, List<FieldError> errors) {
        String aggregate = errors.size() == 1 ? errors.get(0).toString()
                : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
        String message = kind + "." + group + " " + FieldError.quote(name) + " is invalid: " + aggregate;
        ObjectNode status = base(422, "Invalid", message);
        ObjectNode details = status.putObject("details").put("name", name).put("group", group).put("kind", kind);
        ArrayNode causes = details.putArray("causes");
        errors.forEach(e -> causes.addObject().put("reason", e.reason()).put("message", e.body()).put("field", e.field()));
        return new RejectedWrite(422, message, status.toString());
    }

    /** What a real server answers a Strict request carrying fields its schema does not declare. */
    public static RejectedWrite unknownFields(String kind, String version, List<String> fields) {
        String message = kind + " in version " + FieldError.quote(version) + " cannot be handled as a " + kind + ": strict decoding error: "
                + fields.stream().map(f -> "unknown field " + FieldError.quote(f)).collect(Collectors.joining(", "));
        return new RejectedWrite(400, message, base(400, "BadRequest", message).toString());
    }

    /** What a real server answers when a ValidatingAdmissionPolicy denies a request. */
    public static RejectedWrite forbidden(String resource, String name, String policy, String binding, String denial) {
        String message = resource + " " + FieldError.quote(name) + " is forbidden: ValidatingAdmissionPolicy " + FieldError.quote(policy)
                + " with binding " + FieldError.quote(binding) + " denied request: " + denial;
        return new RejectedWrite(403, message, base(403, "Forbidden", message).toString());
    }

    private static ObjectNode base(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        return status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    }

    public int code() {
        return code;
    }

    /** The Status object as JSON. */
    public String statusBody() {
        return status;
    }
}
