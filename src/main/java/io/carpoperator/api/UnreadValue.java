package io.carpoperator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A value of a stored VirtualIP that this version of the model does not read: a field it does not know (ignored), or a
 * value of the wrong type or outside an enum (a problem that makes the VirtualIP invalid). It is kept with its place
 * so the object serializes as it was stored, e.g. when JOSDK clones a resource by serializing it.
 *
 * @param path  where it was, from the spec or status root: field names and list indexes
 * @param value the stored JSON
 * @param field the path for humans, e.g. {@code spec.isolation.probes[1]}
 */
public record UnreadValue(List<Object> path, JsonNode value, String field, String message, boolean unknownField) {

    public FieldProblem problem() {
        return new FieldProblem(field, message);
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
