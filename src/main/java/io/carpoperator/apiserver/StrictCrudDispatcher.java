package io.carpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Fabric8 mock server's CRUD dispatcher made as strict as a real API server about custom resources: every CRD
 * created through the API is enforced from then on (schema, pruning, list types, CEL rules) on create, update and
 * patch, the status subresource included. Fabric8's handlers build the object a write would store and hand it to
 * {@link #processEvent} on the request's own thread before storing it; that is where it is validated, pruned or
 * refused (the store is left untouched).
 *
 * <p>Tests may need an object in the store that the schema forbids (one stored before a stricter CRD, to test what
 * the operator makes of it): a dispatcher built with {@code acceptsUnvalidatedWrites} stores writes carrying the
 * {@value #UNVALIDATED_HEADER} header as sent. The demo's server is built without it.
 */
public class StrictCrudDispatcher extends KubernetesCrudDispatcher {
    /** The tests' escape hatch: a write with this header set to {@code true} skips validation and pruning. */
    public static final String UNVALIDATED_HEADER = "X-Carp-Test-Unvalidated";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE = Pattern.compile("^/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/?]+)(?:/[^/?]+)?(/status)?(?:\\?.*)?$");
    private static final Pattern FIELD_VALIDATION = Pattern.compile("[?&]fieldValidation=(\\w+)");
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private enum FieldValidation { IGNORE, WARN, STRICT }

    /** What one write request asked for and what its validation left behind, for the response. */
    private static final class Write {
        final FieldValidation mode;
        final boolean unvalidated;
        String stored;
        List<String> pruned = List.of();

        Write(FieldValidation mode, boolean unvalidated) {
            this.mode = mode;
            this.unvalidated = unvalidated;
        }
    }

    /** Who a request's bearer token stands for, as the API server's authenticator would say. */
    public record Identity(String username, Map<String, List<String>> extra) {
    }

    private static final Pattern API_PATH = Pattern.compile(
            "^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/([^/]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?.*)?$");

    private final boolean acceptsUnvalidatedWrites;
    private volatile AdmissionPolicy admission;
    private volatile java.util.function.Function<String, Identity> identities;
    private final Map<String, CrdSchemaValidator> validators = new ConcurrentHashMap<>();
    private final ThreadLocal<Write> write = new ThreadLocal<>();

    public StrictCrudDispatcher(boolean acceptsUnvalidatedWrites) {
        this.acceptsUnvalidatedWrites = acceptsUnvalidatedWrites;
        CelRule.warmUp();
    }

    /** Enforces an admission policy on every write, with the identity each bearer token maps to. */
    public void enforce(AdmissionPolicy policy, java.util.function.Function<String, Identity> tokenToIdentity) {
        this.identities = tokenToIdentity;
        this.admission = policy;
    }

    /** Deletes reach the store by path alone ({@code handleDelete(String)}): the admission check needs the request. */
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if ("DELETE".equals(request.getMethod())) {
            Optional<MockResponse> denied = admit(request);
            if (denied.isPresent()) {
                return denied.get();
            }
        }
        return super.dispatch(request);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return guarded(request, () -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return guarded(request, () -> super.handleUpdate(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return guarded(request, () -> super.handlePatch(request));
    }

    private MockResponse guarded(RecordedRequest request, Supplier<MockResponse> handler) {
        Optional<MockResponse> denied = admit(request);
        if (denied.isPresent()) {
            return denied.get();
        }
        Write current = new Write(fieldValidation(request.getPath()),
                acceptsUnvalidatedWrites && "true".equalsIgnoreCase(request.getHeader(UNVALIDATED_HEADER)));
        write.set(current);
        try {
            MockResponse response = handler.get();
            if (current.stored != null && response.code() / 100 == 2) {
                response.setBody(current.stored); // the object as stored: pruned
            }
            if (current.mode == FieldValidation.WARN) {
                current.pruned.forEach(field -> response.addHeader("Warning", "299 - " + FieldError.quote("unknown field " + FieldError.quote(field))));
            }
            return response;
        } catch (RejectedWrite rejected) {
            return new MockResponse().setResponseCode(rejected.code()).setHeader("Content-Type", "application/json")
                    .setBody(rejected.statusBody());
        } finally {
            write.remove();
        }
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes, GenericKubernetesResource resource,
            String newState) {
        Write current = write.get();
        String state = newState;
        if (current != null && newState != null && !current.unvalidated) {
            Optional<CrdSchemaValidator> validator = validatorFor(path);
            if (validator.isPresent()) {
                state = validated(validator.get(), path, oldAttributes, newState, current);
            }
        }
        if (current != null && newState == null && oldAttributes != null && map.get(oldAttributes) != null) {
            current.stored = lastWords(map.get(oldAttributes));
        }
        String before = path.startsWith(CRDS) && oldAttributes != null ? map.get(oldAttributes) : null;
        super.processEvent(path, pathAttributes, oldAttributes, resource, state);
        if (path.startsWith(CRDS)) {
            learnCrd(before, state);
        }
    }

    /**
     * A write that removed the last finalizer of an object being deleted deletes it; a real API server answers such a
     * write with the object as it last was, finalizers gone, where the bare mock answers with an empty body (on which
     * JOSDK's removeFinalizer fails with a NullPointerException, java-operator-sdk#3331).
     */
    private static String lastWords(String stored) {
        JsonNode object = read(stored);
        if (object instanceof com.fasterxml.jackson.databind.node.ObjectNode root
                && root.path("metadata") instanceof com.fasterxml.jackson.databind.node.ObjectNode metadata) {
            metadata.putArray("finalizers");
            return root.toString();
        }
        return stored;
    }

    private String validated(CrdSchemaValidator validator, String path, AttributeSet oldAttributes, String newState, Write current) {
        JsonNode object = read(newState);
        JsonNode old = oldAttributes == null ? null : Optional.ofNullable(map.get(oldAttributes)).map(StrictCrudDispatcher::read).orElse(null);
        CrdSchemaValidator.Verdict verdict = validator.validate(object, old);
        if (!verdict.unknownFields().isEmpty() && current.mode == FieldValidation.STRICT) {
            String apiVersion = object.path("apiVersion").asText();
            throw RejectedWrite.unknownFields(validator.kind(), apiVersion.substring(apiVersion.indexOf('/') + 1), verdict.unknownFields());
        }
        if (!verdict.valid()) {
            throw RejectedWrite.invalid(validator.group(), validator.kind(), object.path("metadata").path("name").asText(), verdict.errors());
        }
        current.pruned = verdict.unknownFields();
        current.stored = verdict.object().toString();
        return current.stored;
    }

    /** A CRD created through the API is enforced from then on; a deleted one no longer is. */
    private void learnCrd(String before, String after) {
        if (before != null) {
            CrdSchemaValidator old = CrdSchemaValidator.forCrd(read(before));
            validators.remove(old.group() + "/" + old.plural());
        }
        if (after != null) {
            CrdSchemaValidator validator = CrdSchemaValidator.forCrd(read(after));
            validators.put(validator.group() + "/" + validator.plural(), validator);
        }
    }

    private Optional<CrdSchemaValidator> validatorFor(String path) {
        Matcher matcher = RESOURCE.matcher(path);
        return matcher.matches() ? Optional.ofNullable(validators.get(matcher.group(1) + "/" + matcher.group(3))) : Optional.empty();
    }

    /** The admission policy's answer, as a real server gives it (403, the policy's message), when it denies the write. */
    private Optional<MockResponse> admit(RecordedRequest request) {
        AdmissionPolicy policy = admission;
        if (policy == null) {
            return Optional.empty();
        }
        Matcher path = API_PATH.matcher(request.getPath());
        if (!path.matches()) {
            return Optional.empty();
        }
        String group = path.group(1) != null ? "" : path.group(2);
        String version = path.group(1) != null ? path.group(1) : path.group(3);
        String resource = path.group(5);
        String name = path.group(6) != null ? path.group(6) : nameInBody(request);
        String subResource = path.group(7) == null ? "" : path.group(7);
        String operation = switch (request.getMethod()) {
            case "POST" -> "CREATE";
            case "PUT", "PATCH" -> "UPDATE";
            case "DELETE" -> "DELETE";
            default -> "";
        };
        String header = request.getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
        Identity identity = identities.apply(token);
        Optional<String> denial = policy.denial(new AdmissionPolicy.Request(identity.username(), identity.extra(), group, version, resource,
                subResource, path.group(4) == null ? "" : path.group(4), name, operation));
        return denial.map(why -> {
            RejectedWrite refused = RejectedWrite.forbidden((group.isEmpty() ? resource : resource + "." + group), name, policy.name(),
                    policy.binding(), why);
            return new MockResponse().setResponseCode(refused.code()).setHeader("Content-Type", "application/json")
                    .setBody(refused.statusBody());
        });
    }

    private static String nameInBody(RecordedRequest request) {
        if (request.getBody() == null) {
            return "";
        }
        try {
            return JSON.readTree(new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)).path("metadata").path("name").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static FieldValidation fieldValidation(String path) {
        Matcher matcher = FIELD_VALIDATION.matcher(path);
        if (!matcher.find()) {
            return FieldValidation.WARN; // the API server's default when a client does not say
        }
        return switch (matcher.group(1)) {
            case "Strict" -> FieldValidation.STRICT;
            case "Ignore" -> FieldValidation.IGNORE;
            default -> FieldValidation.WARN;
        };
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
