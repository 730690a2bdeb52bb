package io.carpoperator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API discovery documents kubectl reads before anything else (/api, /apis, /api/v1, /apis/GROUP/VERSION,
 * /version, /openapi/v3): the Fabric8 mock server answers none of them usefully, so kubectl would not know `vip` or
 * `nodes`. Lists the built-in resources the operator and agents use plus every CRD the demo loaded, with short names.
 * The OpenAPI v3 documents only declare, per resource, a PATCH operation that accepts `fieldValidation`: that is how
 * kubectl learns the server validates fields itself, so `kubectl apply` does not need schemas to download.
 */
final class ApiDiscovery {

    record Resource(String groupVersion, String plural, String singular, String kind, boolean namespaced,
            List<String> shortNames, boolean hasStatus) {
    }

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final String CORE = "v1";

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<Resource>> byGroupVersion = new LinkedHashMap<>();
    private final String serverAddress;

    ApiDiscovery(String serverAddress, List<CustomResourceDefinition> crds) {
        this.serverAddress = serverAddress;
        builtIn().forEach(this::add);
        for (CustomResourceDefinition crd : crds) {
            var spec = crd.getSpec();
            for (CustomResourceDefinitionVersion version : spec.getVersions()) {
                add(new Resource(spec.getGroup() + "/" + version.getName(), spec.getNames().getPlural(), spec.getNames().getSingular(),
                        spec.getNames().getKind(), "Namespaced".equals(spec.getScope()),
                        Optional.ofNullable(spec.getNames().getShortNames()).orElse(List.of()),
                        version.getSubresources() != null && version.getSubresources().getStatus() != null));
            }
        }
    }

    private static List<Resource> builtIn() {
        return List.of(
                new Resource(CORE, "namespaces", "namespace", "Namespace", false, List.of("ns"), true),
                new Resource(CORE, "nodes", "node", "Node", false, List.of("no"), true),
                new Resource(CORE, "secrets", "secret", "Secret", true, List.of(), false),
                new Resource(CORE, "events", "event", "Event", true, List.of("ev"), false),
                new Resource(CORE, "serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), false),
                new Resource(CORE, "configmaps", "configmap", "ConfigMap", true, List.of("cm"), false),
                new Resource(CORE, "pods", "pod", "Pod", true, List.of("po"), true),
                new Resource("apps/v1", "daemonsets", "daemonset", "DaemonSet", true, List.of("ds"), true),
                new Resource("apps/v1", "deployments", "deployment", "Deployment", true, List.of("deploy"), true),
                new Resource("apiextensions.k8s.io/v1", "customresourcedefinitions", "customresourcedefinition",
                        "CustomResourceDefinition", false, List.of("crd", "crds"), true),
                new Resource("coordination.k8s.io/v1", "leases", "lease", "Lease", true, List.of(), false),
                new Resource("rbac.authorization.k8s.io/v1", "clusterroles", "clusterrole", "ClusterRole", false, List.of(), false),
                new Resource("rbac.authorization.k8s.io/v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false,
                        List.of(), false),
                new Resource("rbac.authorization.k8s.io/v1", "roles", "role", "Role", true, List.of(), false),
                new Resource("rbac.authorization.k8s.io/v1", "rolebindings", "rolebinding", "RoleBinding", true, List.of(), false));
    }

    private void add(Resource resource) {
        byGroupVersion.computeIfAbsent(resource.groupVersion(), key -> new ArrayList<>()).add(resource);
    }

    /** The document for a discovery path, or empty when the path is not a discovery path this server knows. */
    Optional<String> answer(String path) {
        if (path.equals("/api")) {
            return Optional.of(apiVersions());
        }
        if (path.equals("/apis")) {
            return Optional.of(groupList());
        }
        if (path.equals("/version")) {
            return Optional.of("{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-carp-demo\",\"platform\":\"linux/amd64\"}");
        }
        if (path.equals("/openapi/v3")) {
            return Optional.of(openApiRoot());
        }
        if (path.startsWith("/openapi/v3/")) {
            String groupVersion = path.substring("/openapi/v3/".length()).replaceFirst("^apis?/", "");
            if (byGroupVersion.containsKey(groupVersion)) {
                return Optional.of(openApiDocument(groupVersion));
            }
        }
        if (path.equals("/api/" + CORE)) {
            return Optional.of(resourceList(CORE));
        }
        if (path.startsWith("/apis/") && path.chars().filter(c -> c == '/').count() == 3) {
            String groupVersion = path.substring("/apis/".length());
            if (byGroupVersion.containsKey(groupVersion)) {
                return Optional.of(resourceList(groupVersion));
            }
        }
        return Optional.empty();
    }

    List<Resource> resources() {
        return byGroupVersion.values().stream().flatMap(List::stream).toList();
    }

    private String apiVersions() {
        ObjectNode root = json.createObjectNode().put("kind", "APIVersions");
        root.putArray("versions").add(CORE);
        root.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return root.toString();
    }

    private String groupList() {
        ObjectNode root = json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = root.putArray("groups");
        byGroupVersion.keySet().stream().filter(gv -> gv.contains("/")).forEach(groupVersion -> {
            String[] parts = groupVersion.split("/");
            ObjectNode group = groups.addObject().put("name", parts[0]);
            group.putArray("versions").addObject().put("groupVersion", groupVersion).put("version", parts[1]);
            group.putObject("preferredVersion").put("groupVersion", groupVersion).put("version", parts[1]);
        });
        return root.toString();
    }

    private static String basePath(String groupVersion) {
        return groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
    }

    private String openApiRoot() {
        ObjectNode root = json.createObjectNode();
        ObjectNode paths = root.putObject("paths");
        byGroupVersion.keySet().forEach(groupVersion -> paths.putObject(basePath(groupVersion))
                .put("serverRelativeURL", "/openapi/v3/" + basePath(groupVersion) + "?hash=carp-demo"));
        return root.toString();
    }

    private String openApiDocument(String groupVersion) {
        ObjectNode root = json.createObjectNode().put("openapi", "3.0.0");
        root.putObject("info").put("title", "carp-operator demo API").put("version", "v1.32.0");
        ObjectNode paths = root.putObject("paths");
        String group = groupVersion.contains("/") ? groupVersion.split("/")[0] : "";
        String version = groupVersion.contains("/") ? groupVersion.split("/")[1] : groupVersion;
        for (Resource resource : byGroupVersion.get(groupVersion)) {
            String path = "/" + basePath(groupVersion) + (resource.namespaced() ? "/namespaces/{namespace}/" : "/")
                    + resource.plural() + "/{name}";
            ObjectNode patch = paths.putObject(path).putObject("patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version).put("kind", resource.kind());
            patch.put("x-kubernetes-action", "patch");
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        root.putObject("components").putObject("schemas");
        return root.toString();
    }

    private String resourceList(String groupVersion) {
        ObjectNode root = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode resources = root.putArray("resources");
        for (Resource resource : byGroupVersion.get(groupVersion)) {
            ObjectNode entry = resources.addObject().put("name", resource.plural()).put("singularName", resource.singular())
                    .put("namespaced", resource.namespaced()).put("kind", resource.kind());
            VERBS.forEach(entry.putArray("verbs")::add);
            if (!resource.shortNames().isEmpty()) {
                resource.shortNames().forEach(entry.putArray("shortNames")::add);
            }
            if (resource.hasStatus()) {
                ObjectNode status = resources.addObject().put("name", resource.plural() + "/status").put("singularName", "")
                        .put("namespaced", resource.namespaced()).put("kind", resource.kind());
                List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
            }
        }
        return root.toString();
    }
}
