package io.carpoperator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** RFC 7386 JSON merge patches computed as the difference of two documents, so removed fields become explicit nulls. */
public final class MergePatch {
    private MergePatch() {
    }

    /** The patch that turns {@code from} into {@code to}; an empty object when they are equal. */
    public static ObjectNode diff(JsonNode from, JsonNode to) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        if (from != null && from.isObject()) {
            Iterator<String> names = from.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!to.has(name) || to.get(name).isNull()) {
                    if (!from.get(name).isNull()) {
                        patch.putNull(name);
                    }
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = to.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode old = from == null ? null : from.get(field.getKey());
            JsonNode now = field.getValue();
            if (now.isNull()) {
                continue;
            }
            if (old != null && old.isObject() && now.isObject()) {
                ObjectNode nested = diff(old, now);
                if (!nested.isEmpty()) {
                    patch.set(field.getKey(), nested);
                }
            } else if (!now.equals(old)) {
                patch.set(field.getKey(), now);
            }
        }
        return patch;
    }
}
