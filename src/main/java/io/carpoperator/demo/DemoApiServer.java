package io.carpoperator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpoperator.apiserver.AdmissionPolicy;
import io.carpoperator.apiserver.StrictCrudDispatcher;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The demo's Kubernetes API: the Fabric8 mock server in CRUD mode, in this JVM, on 127.0.0.1, preloaded with the
 * committed CRD and as strict as a real server about VirtualIPs (schema, pruning, CEL rules: {@link StrictCrudDispatcher}),
 * plus what kubectl needs from a real server (discovery documents and server-side tables) and a real server's encoding
 * of a Secret's stringData.
 */
final class DemoApiServer implements AutoCloseable {
    static final String CRD_RESOURCE = "/crds/virtualips.carp-operator.io-v1.yml";
    static final String NODE_REPORT_CRD_RESOURCE = "/crds/nodereports.carp-operator.io-v1.yml";
    /** deploy/base/agent/admission-policy.yaml, enforced here as a cluster enforces it. */
    static final String ADMISSION_POLICY_RESOURCE = "/deploy/admission-policy.yaml";
    static final String AGENT_TOKEN_PREFIX = "carp-agent/";
    static final String AGENT_USER = "system:serviceaccount:carp-agents:carp-agent";
    static final String NODE_NAME_CLAIM = "authentication.kubernetes.io/node-name";
    private static final String ADMIN_TOKEN = "carp-demo";
    private static final Logger LOG = Logger.getLogger(DemoApiServer.class);

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String url;

    private DemoApiServer(KubernetesMockServer server, KubernetesClient client, String url) {
        this.server = server;
        this.client = client;
        this.url = url;
    }

    /** Starts on a free port of 127.0.0.1 (or the given one) with the CRD loaded. */
    static DemoApiServer start(int port, Clock clock) {
        List<CustomResourceDefinition> crds = loadCrds();
        var dispatcher = new KubectlFriendlyDispatcher(crds, clock);
        dispatcher.enforce(AdmissionPolicy.fromYaml(resource(ADMISSION_POLICY_RESOURCE)), DemoApiServer::identity);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        String url = "http://127.0.0.1:" + server.getPort();
        dispatcher.setServerAddress("127.0.0.1:" + server.getPort());
        KubernetesClient client = client(url, ADMIN_TOKEN);
        crds.forEach(crd -> client.resource(crd).create());
        LOG.infof("in-process API server (Fabric8 mock, CRUD mode, VirtualIPs validated against the CRD) on %s", url);
        return new DemoApiServer(server, client, url);
    }

    static CustomResourceDefinition loadCrd() {
        return Serialization.unmarshal(resource(CRD_RESOURCE), CustomResourceDefinition.class);
    }

    static List<CustomResourceDefinition> loadCrds() {
        return List.of(loadCrd(), Serialization.unmarshal(resource(NODE_REPORT_CRD_RESOURCE), CustomResourceDefinition.class));
    }

    private static String resource(String name) {
        try (InputStream in = DemoApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + name + " (built without crds/ and deploy/ on the resource path?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The demo's stand-in for authentication: an agent's token "carp-agent/NODE" is the agent ServiceAccount with the
     * node claim a pod-bound token carries; any other token (kubectl's, the operator's) is an administrator.
     */
    static StrictCrudDispatcher.Identity identity(String token) {
        if (token.startsWith(AGENT_TOKEN_PREFIX)) {
            return new StrictCrudDispatcher.Identity(AGENT_USER, Map.of(NODE_NAME_CLAIM, List.of(token.substring(AGENT_TOKEN_PREFIX.length()))));
        }
        return new StrictCrudDispatcher.Identity("kubernetes-admin", Map.of());
    }

    private static KubernetesClient client(String url, String token) {
        return new KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(url).withTrustCerts(true).withOauthToken(token)
                        .withNamespace("default").withRequestRetryBackoffLimit(0).build())
                .build();
    }

    /** A client with the given node's agent identity, as that node's pod-bound token would give it. */
    KubernetesClient agentClient(String node) {
        return client(url, AGENT_TOKEN_PREFIX + node);
    }

    String url() {
        return url;
    }

    /** A client for the operator and the agents of this JVM. */
    KubernetesClient client() {
        return client;
    }

    /** Writes a kubeconfig (0644: it holds no secret) pointing kubectl at this server. */
    Path writeKubeconfig(Path file) throws IOException {
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: carp-demo
                  cluster:
                    server: %s
                contexts:
                - name: carp-demo
                  context:
                    cluster: carp-demo
                    user: carp-demo
                current-context: carp-demo
                users:
                - name: carp-demo
                  user:
                    token: carp-demo
                """.formatted(url);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** Strict CRUD for resources; discovery and Table answers where kubectl needs them. */
    static final class KubectlFriendlyDispatcher extends StrictCrudDispatcher {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Pattern SECRETS = Pattern.compile("/api/v1/namespaces/[^/]+/secrets(/[^/]+)?");
        private final List<CustomResourceDefinition> crds;
        private final Clock clock;
        private final ServerSideTable tables;
        private volatile ApiDiscovery discovery;

        KubectlFriendlyDispatcher(List<CustomResourceDefinition> crds, Clock clock) {
            super(false); // the demo has no use for the tests' escape hatch
            this.crds = crds;
            this.clock = clock;
            Map<String, List<CustomResourceColumnDefinition>> columns = new HashMap<>();
            for (CustomResourceDefinition crd : crds) {
                crd.getSpec().getVersions().stream().filter(v -> v.getAdditionalPrinterColumns() != null).findFirst()
                        .ifPresent(v -> columns.put(crd.getSpec().getNames().getKind(), v.getAdditionalPrinterColumns()));
            }
            this.tables = new ServerSideTable(columns);
            this.discovery = new ApiDiscovery("127.0.0.1", crds);
        }

        void setServerAddress(String address) {
            this.discovery = new ApiDiscovery(address, crds);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            if ("GET".equals(request.getMethod())) {
                Optional<String> document = discovery.answer(bare);
                if (document.isPresent()) {
                    return json(200, document.get());
                }
            }
            MockResponse response = super.dispatch(withSecretDataEncoded(request, bare));
            if (wantsTable(request, path) && response.code() == 200) {
                try {
                    return json(200, tables.render(new String(response.getBody().getBytes(), StandardCharsets.UTF_8), kindOf(bare), clock.instant()));
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("cannot render a table for %s: %s", path, e.getMessage());
                }
            }
            return response;
        }

        /**
         * A real API server stores a Secret's stringData base64-encoded under data; the mock server would keep it
         * as sent, and the operator (which reads data) would find no password. Creates and replaces only.
         */
        private static RecordedRequest withSecretDataEncoded(RecordedRequest request, String bare) {
            boolean write = "POST".equals(request.getMethod()) || "PUT".equals(request.getMethod());
            if (!write || !SECRETS.matcher(bare).matches() || request.getBody() == null) {
                return request;
            }
            String body = new String(request.getBody().getBytes(), StandardCharsets.UTF_8); // getUtf8Body() would consume it
            if (!body.contains("stringData")) {
                return request;
            }
            try {
                ObjectNode secret = (ObjectNode) JSON.readTree(body);
                JsonNode plain = secret.remove("stringData");
                ObjectNode data = secret.has("data") && secret.get("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
                plain.fields().forEachRemaining(field -> data.put(field.getKey(),
                        Base64.getEncoder().encodeToString(field.getValue().asText().getBytes(StandardCharsets.UTF_8))));
                return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
                        new Buffer(JSON.writeValueAsBytes(secret)));
            } catch (IOException | ClassCastException e) {
                return request;
            }
        }

        /** The kind a GET path lists or reads: the resource segment after the group version (and namespace). */
        private String kindOf(String path) {
            String[] segments = path.split("/");
            return discovery.resources().stream()
                    .filter(r -> java.util.Arrays.asList(segments).contains(r.plural()))
                    .map(ApiDiscovery.Resource::kind).findFirst().orElse("");
        }

        private static boolean wantsTable(RecordedRequest request, String path) {
            String accept = request.getHeader("Accept");
            return "GET".equals(request.getMethod()) && accept != null && accept.contains("as=Table") && !path.contains("watch=");
        }

        private static MockResponse json(int code, String body) {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
        }
    }
}
