package io.carpoperator.api;

/** One rejected input: the field path, the offending value and why, e.g. "spec.vhid: 300 is outside 1-255". */
public record FieldProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
