package io.carpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a real API server checks when a custom resource is written, given its CRD: pruning of unknown fields, the
 * structural schema (types, enums, bounds, lengths, counts, patterns, required; by a JSON Schema validator),
 * {@code x-kubernetes-list-type} set and map uniqueness, and the {@code x-kubernetes-validations} CEL rules, with
 * transition rules on update and ratcheting: on update, errors of values left unchanged are let through (as
 * Kubernetes 1.30+ does), so an object stored before a stricter CRD can still have its status written.
 */
public final class CrdSchemaValidator {

    /** The outcome of one write: the object as it would be stored, the fields pruned from it, and the errors. */
    public record Verdict(JsonNode object, List<String> unknownFields, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final tools.jackson.databind.json.JsonMapper JSON3 = tools.jackson.databind.json.JsonMapper.builder().build();
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
    private static final String LIST_TYPE = "x-kubernetes-list-type";
    private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";

    private final String group;
    private final String kind;
    private final String plural;
    private final Map<String, JsonNode> schemas = new LinkedHashMap<>();
    private final Map<String, Schema> jsonSchemas = new LinkedHashMap<>();
    private final Map<JsonNode, List<CelRule>> rules = new IdentityHashMap<>();

    private CrdSchemaValidator(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        this.group = spec.path("group").asText();
        this.kind = spec.path("names").path("kind").asText();
        this.plural = spec.path("names").path("plural").asText();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        for (JsonNode version : spec.path("versions")) {
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
                continue;
            }
            schemas.put(version.path("name").asText(), schema);
            ObjectNode jsonSchema = toJsonSchema(schema);
            ObjectNode rootProperties = jsonSchema.has("properties") ? (ObjectNode) jsonSchema.get("properties") : jsonSchema.putObject("properties");
            ROOT_FIELDS.forEach(f -> rootProperties.putObject(f));
            jsonSchemas.put(version.path("name").asText(), registry.getSchema(jsonSchema.toString(), InputFormat.JSON));
            compileRules(schema);
        }
    }

    /** A validator for the given CRD (as JSON, as a client sends it or the server stores it). */
    public static CrdSchemaValidator forCrd(JsonNode crd) {
        return new CrdSchemaValidator(crd);
    }

    /** A validator for the given CRD (any object Jackson can serialize, e.g. Fabric8's CustomResourceDefinition). */
    public static CrdSchemaValidator forCrd(Object crd) {
        return new CrdSchemaValidator(JSON.valueToTree(crd));
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /**
     * Prunes and validates the object a write would store; {@code old} is the stored object on update (null on
     * create), which enables transition rules and ratcheting.
     */
    public Verdict validate(JsonNode object, JsonNode old) {
        String apiVersion = object.path("apiVersion").asText();
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        JsonNode schema = schemas.get(version);
        if (schema == null) {
            return new Verdict(object, List.of(), List.of());
        }
        JsonNode pruned = object.deepCopy();
        List<String> unknown = new ArrayList<>();
        prune(pruned, schema, "", true, unknown);

        List<FieldError> errors = new ArrayList<>();
        for (Error error : jsonSchemas.get(version).validate(toJackson3(pruned))) {
            schemaError(error, pruned, schema).ifPresent(errors::add);
        }
        checkListTypes(pruned, schema, new ArrayList<>(), errors);
        if (old != null) {
            errors.removeIf(e -> unchanged(e.node(), pruned, old, schema));
        }
        if (errors.stream().anyMatch(FieldError::blocksCel)) {
            errors.add(FieldError.invalid("<nil>", List.of(), FieldError.quote("null"),
                    "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
        } else {
            checkRules(pruned, old, schema, new ArrayList<>(), old != null && pruned.equals(old), errors);
        }
        return new Verdict(pruned, unknown, errors);
    }

    // ---- pruning

    /** Drops what the schema does not declare (unless preserved) and nulls of non-nullable fields, as a real server. */
    private static void prune(JsonNode value, JsonNode schema, String path, boolean root, List<String> unknown) {
        if (value.isObject()) {
            ObjectNode object = (ObjectNode) value;
            JsonNode additional = schema.path("additionalProperties");
            boolean preserve = schema.path(PRESERVE).asBoolean(false);
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                String childPath = path.isEmpty() ? name : path + "." + name;
                if ((root || schema.path("x-kubernetes-embedded-resource").asBoolean(false)) && ROOT_FIELDS.contains(name)) {
                    continue; // an object's own apiVersion, kind and metadata
                }
                JsonNode childSchema = fieldSchema(schema, name);
                if (childSchema == null) {
                    if (!preserve && !additional.asBoolean(false)) {
                        unknown.add(childPath);
                        it.remove();
                    }
                    continue;
                }
                if (field.getValue().isNull() && !childSchema.path("nullable").asBoolean(false)) {
                    it.remove();
                    continue;
                }
                prune(field.getValue(), childSchema, childPath, false, unknown);
            }
        } else if (value.isArray() && schema.has("items")) {
            int index = 0;
            for (JsonNode item : value) {
                prune(item, schema.get("items"), path + "[" + index++ + "]", false, unknown);
            }
        }
    }

    // ---- structural schema, by the JSON Schema validator

    /** The CRD's OpenAPI v3 schema as a draft-4 JSON Schema: the x-kubernetes-* extensions are handled here instead. */
    private static ObjectNode toJsonSchema(JsonNode openApi) {
        ObjectNode out = JSON.createObjectNode();
        boolean intOrString = openApi.path("x-kubernetes-int-or-string").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = openApi.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), toJsonSchema(p.getValue())));
                }
                case "items", "not" -> out.set(key, value.isObject() ? toJsonSchema(value) : value);
                case "additionalProperties" -> out.set(key, value.isObject() ? toJsonSchema(value) : value);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode all = out.putArray(key);
                    value.forEach(v -> all.add(toJsonSchema(v)));
                }
                case "type", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
                        "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "required" ->
                    out.set(key, value);
                default -> {
                    // description, default, example, format and the x-kubernetes-* extensions carry no JSON Schema check
                }
            }
        }
        if (intOrString) {
            out.remove("type");
            out.putArray("anyOf").add(JSON.createObjectNode().put("type", "integer")).add(JSON.createObjectNode().put("type", "string"));
        }
        if (openApi.path("nullable").asBoolean(false) && out.has("type")) {
            out.putArray("type").add(openApi.get("type").asText()).add("null");
            if (out.has("enum")) {
                ((ArrayNode) out.get("enum")).addNull();
            }
        }
        return out;
    }

    private static tools.jackson.databind.JsonNode toJackson3(JsonNode node) {
        return JSON3.readTree(node.toString());
    }

    /** A JSON Schema error as the field error a real server reports for the same violation. */
    private static Optional<FieldError> schemaError(Error error, JsonNode object, JsonNode rootSchema) {
        List<Object> node = new ArrayList<>();
        var location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            node.add(location.getElement(i));
        }
        String field = render(node);
        JsonNode value = at(object, node);
        JsonNode schema = schemaAt(rootSchema, node);
        String keyword = error.getKeyword();
        return Optional.of(switch (keyword == null ? "" : keyword) {
            case "type" -> FieldError.typeInvalid(field, node, FieldError.quote(jsonType(value)),
                    field + " in body must be of type " + schema.path("type").asText() + ": " + FieldError.quote(jsonType(value)));
            case "enum" -> FieldError.notSupported(field, node, value, schema.path("enum"));
            case "maxLength" -> FieldError.tooLong(field, node, schema.path("maxLength").asLong());
            case "maxItems" -> FieldError.tooMany(field, node, value.size(), schema.path("maxItems").asLong());
            case "required" -> {
                String property = error.getProperty() != null ? error.getProperty() : String.valueOf(error.getArguments()[0]);
                yield FieldError.required(field.isEmpty() ? property : field + "." + property, node, "");
            }
            case "minimum" -> FieldError.invalid(field, node, FieldError.render(value),
                    field + " in body should be greater than or equal to " + number(schema.path("minimum")));
            case "maximum" -> FieldError.invalid(field, node, FieldError.render(value),
                    field + " in body should be less than or equal to " + number(schema.path("maximum")));
            case "minLength" -> FieldError.invalid(field, node, FieldError.render(value),
                    field + " in body should be at least " + schema.path("minLength").asLong() + " chars long");
            case "minItems" -> FieldError.invalid(field, node, String.valueOf(value.size()),
                    field + " in body should have at least " + schema.path("minItems").asLong() + " items");
            case "pattern" -> FieldError.invalid(field, node, FieldError.render(value),
                    field + " in body should match '" + schema.path("pattern").asText() + "'");
            default -> FieldError.invalid(field, node, FieldError.render(value), error.getMessage());
        });
    }

    private static String number(JsonNode bound) {
        return bound.isIntegralNumber() || bound.asDouble() == Math.rint(bound.asDouble()) ? String.valueOf(bound.asLong()) : bound.asText();
    }

    private static String jsonType(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isArray() ? "array" : value.isObject() ? "object" : "null";
    }

    /** An object field's schema: its own property, else additionalProperties when that is a schema; null when neither. */
    private static JsonNode fieldSchema(JsonNode schema, String field) {
        JsonNode properties = schema.path("properties");
        if (properties.has(field)) {
            return properties.get(field);
        }
        JsonNode additional = schema.path("additionalProperties");
        return additional.isObject() ? additional : null;
    }

    // ---- list types

    private static void checkListTypes(JsonNode value, JsonNode schema, List<Object> node, List<FieldError> errors) {
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> {
                JsonNode child = fieldSchema(schema, f.getKey());
                if (child != null) {
                    checkListTypes(f.getValue(), child, append(node, f.getKey()), errors);
                }
            });
        } else if (value.isArray()) {
            String listType = schema.path(LIST_TYPE).asText("atomic");
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                JsonNode key = "map".equals(listType) ? mapKey(item, schema.path("x-kubernetes-list-map-keys")) : item;
                if (("set".equals(listType) || "map".equals(listType)) && !seen.add(key)) {
                    errors.add(FieldError.duplicate(render(append(node, i)), node, FieldError.render(key)));
                }
                if (schema.has("items")) {
                    checkListTypes(item, schema.get("items"), append(node, i), errors);
                }
            }
        }
    }

    private static JsonNode mapKey(JsonNode item, JsonNode keys) {
        ObjectNode key = JSON.createObjectNode();
        keys.forEach(k -> key.set(k.asText(), item.path(k.asText()).isMissingNode() ? null : item.get(k.asText())));
        return key;
    }

    // ---- CEL rules

    private void compileRules(JsonNode schema) {
        if (schema.has("x-kubernetes-validations")) {
            rules.put(schema, CelRule.of(schema.get("x-kubernetes-validations")));
        }
        schema.path("properties").forEach(this::compileRules);
        for (String child : List.of("additionalProperties", "items")) {
            if (schema.path(child).isObject()) {
                compileRules(schema.get(child));
            }
        }
    }

    /**
     * Runs the rules of every schema node present in the object. {@code old} is the correlated old value (null when
     * there is none); {@code parentUnchanged} tells whether the nearest correlatable ancestor equals its old value.
     */
    private void checkRules(JsonNode value, JsonNode old, JsonNode schema, List<Object> node, boolean parentUnchanged,
            List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        boolean unchanged = old != null ? value.equals(old) : parentUnchanged;
        for (CelRule rule : rules.getOrDefault(schema, List.of())) {
            if (rule.usesOldSelf() && old == null) {
                continue;
            }
            rule.check(render(node), node, typeOf(schema), value, old)
                    .filter(e -> rule.usesOldSelf() || !unchanged)
                    .ifPresent(errors::add);
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> {
                JsonNode child = fieldSchema(schema, f.getKey());
                if (child != null) {
                    JsonNode oldChild = old != null && old.isObject() ? old.get(f.getKey()) : null;
                    checkRules(f.getValue(), oldChild, child, append(node, f.getKey()), unchanged, errors);
                }
            });
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode oldItem = correlatedItem(value.get(i), old, schema);
                checkRules(value.get(i), oldItem, schema.get("items"), append(node, i), unchanged, errors);
            }
        }
    }

    /** Items of list-type map lists correlate with the old item of the same keys; items of other lists do not. */
    private static JsonNode correlatedItem(JsonNode item, JsonNode oldList, JsonNode schema) {
        if (oldList == null || !oldList.isArray() || !"map".equals(schema.path(LIST_TYPE).asText())) {
            return null;
        }
        JsonNode keys = schema.path("x-kubernetes-list-map-keys");
        JsonNode key = mapKey(item, keys);
        for (JsonNode candidate : oldList) {
            if (mapKey(candidate, keys).equals(key)) {
                return candidate;
            }
        }
        return null;
    }

    private static String typeOf(JsonNode schema) {
        if (schema.has("type")) {
            return schema.get("type").asText();
        }
        return schema.has("properties") || schema.has("additionalProperties") ? "object" : "any";
    }

    // ---- ratcheting and paths

    /** True when the nearest correlatable node on the error's path is deep-equal to its old value. */
    private static boolean unchanged(List<Object> node, JsonNode current, JsonNode old, JsonNode rootSchema) {
        JsonNode now = current;
        JsonNode before = old;
        JsonNode schema = rootSchema;
        for (Object element : node) {
            if (element instanceof Integer index) {
                if (!"map".equals(schema.path(LIST_TYPE).asText())) {
                    break;
                }
                JsonNode item = now.path(index);
                before = correlatedItem(item, before, schema);
                now = item;
                schema = schema.path("items");
            } else {
                String name = String.valueOf(element);
                now = now.path(name);
                before = before == null ? null : before.get(name);
                schema = schema.path("properties").has(name) ? schema.path("properties").path(name) : schema.path("additionalProperties");
            }
            if (before == null) {
                return false;
            }
        }
        return before != null && now.equals(before);
    }

    private static JsonNode at(JsonNode root, List<Object> node) {
        JsonNode current = root;
        for (Object element : node) {
            current = element instanceof Integer index ? current.path(index) : current.path(String.valueOf(element));
        }
        return current;
    }

    private static JsonNode schemaAt(JsonNode root, List<Object> node) {
        JsonNode schema = root;
        for (Object element : node) {
            if (element instanceof Integer) {
                schema = schema.path("items");
            } else {
                String name = String.valueOf(element);
                schema = schema.path("properties").has(name) ? schema.path("properties").path(name) : schema.path("additionalProperties");
            }
        }
        return schema;
    }

    /** {@code spec.preferredNodes[1]}, {@code status.nodes.node-a}: how the API server names a field. */
    static String render(List<Object> node) {
        StringBuilder path = new StringBuilder();
        for (Object element : node) {
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(element);
            }
        }
        return path.toString();
    }

    private static List<Object> append(List<Object> node, Object element) {
        List<Object> next = new ArrayList<>(node);
        next.add(element);
        return next;
    }
}
