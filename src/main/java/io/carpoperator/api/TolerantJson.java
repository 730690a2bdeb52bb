package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a VirtualIP's spec and status so that no stored object can fail: a cluster may hold objects the schema never saw
 * (an older CRD, {@code kubectl apply --validate=false}) or written under a newer CRD. A value this model cannot read is
 * set aside as an {@link UnreadValue} naming its field, and the rest is read as usual; one bad object then makes that
 * VirtualIP invalid instead of failing the informer that the operator and every agent share.
 * <p>
 * Reading is strict about types, like the API server's schema: "5" is not an integer, 5.5 is not 5, 1 is not true.
 * Fields this version does not know are set aside as ignored. Writing puts the set-aside values back where they were,
 * so a serialize-and-read copy (JOSDK clones every resource it hands to a reconciler that way) carries them too.
 */
public final class TolerantJson {
    /** A bound on set-aside values per block; a block beyond it is unreadable as a whole. */
    static final int MAX_UNREAD = 64;

    private static final ObjectMapper STRICT = strictMapper();

    private TolerantJson() {
    }

    public record Reading<T>(T value, List<UnreadValue> unread) {
    }

    /** Reads {@code stored} into {@code type}, setting aside what does not fit; never throws. */
    public static <T> Reading<T> read(JsonNode stored, Class<T> type, String root) {
        List<UnreadValue> unread = new ArrayList<>();
        if (!stored.isObject()) {
            unread.add(new UnreadValue(List.of(), stored, root, stored + " is not an object", false));
            return new Reading<>(newInstance(type), unread);
        }
        ObjectNode tree = stored.deepCopy();
        while (true) {
            JsonMappingException failure;
            try {
                T value = STRICT.treeToValue(tree, type);
                // in field order, so a copy read from the re-serialized form (set-aside values last) lists them the same
                unread.sort(Comparator.comparing(UnreadValue::field));
                return new Reading<>(value, unread);
            } catch (JsonMappingException e) {
                failure = e;
            } catch (IOException | IllegalArgumentException e) {
                failure = null;
            }
            List<Object> path = failure == null ? List.of() : path(failure);
            int removable = removableFieldIndex(tree, path);
            if (removable < 0 || unread.size() >= MAX_UNREAD) {
                String why = failure == null ? "cannot be read" : "cannot be read: " + failure.getOriginalMessage();
                return new Reading<>(newInstance(type), List.of(new UnreadValue(List.of(), stored, root, why, false)));
            }
            List<Object> removedPath = List.copyOf(path.subList(0, removable + 1));
            ObjectNode parent = (ObjectNode) at(tree, removedPath.subList(0, removable));
            JsonNode removed = parent.remove((String) removedPath.get(removable));
            JsonNode value = at(removed, path.subList(removable + 1, path.size()));
            boolean unknown = failure instanceof UnrecognizedPropertyException;
            unread.add(new UnreadValue(removedPath, removed, fieldName(root, path), message(failure, value), unknown));
        }
    }

    /** {@code written} with the set-aside values back in their places (where the caller has not set that field since). */
    public static JsonNode withUnread(JsonNode written, List<UnreadValue> unread) {
        JsonNode tree = written;
        for (UnreadValue value : unread) {
            if (value.path().isEmpty()) {
                return value.value();
            }
            List<Object> path = value.path();
            JsonNode parent = at(tree, path.subList(0, path.size() - 1));
            String name = (String) path.get(path.size() - 1);
            if (parent instanceof ObjectNode object && !object.has(name)) {
                object.set(name, value.value());
            }
        }
        return tree;
    }

    /** "spec.isolation.probes[1]" from the root name and a path. */
    static String fieldName(String root, List<Object> path) {
        StringBuilder name = new StringBuilder(root);
        for (Object step : path) {
            if (step instanceof Integer index) {
                name.append('[').append(index).append(']');
            } else {
                name.append('.').append(step);
            }
        }
        return name.toString();
    }

    private static String message(JsonMappingException failure, JsonNode value) {
        String shown = value == null || value.isMissingNode() ? "the value" : value.toString();
        if (failure instanceof UnrecognizedPropertyException) {
            return "is not a field of this operator version; ignored";
        }
        Class<?> target = failure instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null && failure.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException coercion) {
            target = coercion.getTargetType();
        }
        if (target == null) {
            return shown + " cannot be read: " + failure.getOriginalMessage();
        }
        if (target.isEnum()) {
            return "unsupported value " + shown + ": supported values: " + Arrays.stream(target.getEnumConstants())
                    .map(c -> "\"" + ((Enum<?>) c).name() + "\"").collect(Collectors.joining(", "));
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return value != null && value.isIntegralNumber() ? shown + " is out of range" : shown + " is not an integer";
        }
        if (target == Double.class || target == double.class) {
            return shown + " is not a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return shown + " is not a boolean (true or false)";
        }
        if (target == String.class) {
            return shown + " is not a string";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return shown + " is not a list";
        }
        return shown + " is not an object";
    }

    private static List<Object> path(JsonMappingException failure) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference step : failure.getPath()) {
            if (step.getFieldName() != null) {
                path.add(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.add(step.getIndex());
            }
        }
        return path;
    }

    /** The deepest field name on the path that can be removed from its object: a bad list element takes its list along. */
    private static int removableFieldIndex(ObjectNode tree, List<Object> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i) instanceof String name && at(tree, path.subList(0, i)) instanceof ObjectNode parent && parent.has(name)) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode at(JsonNode node, List<Object> path) {
        JsonNode current = node;
        for (Object step : path) {
            if (current == null) {
                return null;
            }
            current = step instanceof Integer index ? current.get(index) : current.get((String) step);
        }
        return current;
    }

    private static <T> T newInstance(Class<T> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " needs a public no-argument constructor", e);
        }
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** The deserializer of a block: reads tolerantly and hands the set-aside values to the block. */
    abstract static class Reader<T> extends StdDeserializer<T> {
        private final Class<T> type;
        private final String root;
        private final BiConsumer<T, List<UnreadValue>> keep;

        Reader(Class<T> type, String root, BiConsumer<T, List<UnreadValue>> keep) {
            super(type);
            this.type = type;
            this.root = root;
            this.keep = keep;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Reading<T> reading = read(context.readTree(parser), type, root);
            keep.accept(reading.value(), List.copyOf(reading.unread()));
            return reading.value();
        }
    }

    /**
     * The serializer of a block: as usual, plus the set-aside values. It describes its schema as the plain bean does, so
     * the CRD generator sees no difference.
     */
    abstract static class Writer<T> extends StdSerializer<T> {
        private final Function<T, List<UnreadValue>> unreadOf;

        Writer(Class<T> type, Function<T, List<UnreadValue>> unreadOf) {
            super(type);
            this.unreadOf = unreadOf;
        }

        @Override
        public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            List<UnreadValue> unread = unreadOf.apply(value);
            if (unread == null || unread.isEmpty()) {
                provider.findValueSerializer(value.getClass()).serialize(value, generator, provider);
                return;
            }
            JsonNode tree = withUnread(STRICT.valueToTree(value), unread);
            provider.findValueSerializer(tree.getClass()).serialize(tree, generator, provider);
        }

        @Override
        public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) throws JsonMappingException {
            visitor.getProvider().findValueSerializer(type).acceptJsonFormatVisitor(visitor, type);
        }
    }

    public static final class SpecReader extends Reader<VirtualIPSpec> {
        public SpecReader() {
            super(VirtualIPSpec.class, "spec", (spec, unread) -> spec.unread = unread);
        }
    }

    public static final class SpecWriter extends Writer<VirtualIPSpec> {
        public SpecWriter() {
            super(VirtualIPSpec.class, spec -> spec.unread);
        }
    }

    public static final class StatusReader extends Reader<VirtualIPStatus> {
        public StatusReader() {
            super(VirtualIPStatus.class, "status", (status, unread) -> status.unread = unread);
        }
    }

    public static final class StatusWriter extends Writer<VirtualIPStatus> {
        public StatusWriter() {
            super(VirtualIPStatus.class, status -> status.unread);
        }
    }
}
