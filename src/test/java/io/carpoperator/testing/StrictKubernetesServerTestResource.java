package io.carpoperator.testing;

import io.carpoperator.apiserver.StrictCrudDispatcher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the strict mock API server for a {@code @QuarkusTest} and points the application's Kubernetes client at it,
 * with the same system properties Quarkus' KubernetesServerTestResource sets (they are read as system properties).
 */
public class StrictKubernetesServerTestResource implements QuarkusTestResourceLifecycleManager {
    private KubernetesMockServer server;

    /** A strict mock API server on a free port of the loopback address, accepting the tests' unvalidated writes. */
    public static KubernetesMockServer startStrictServer() {
        KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new StrictCrudDispatcher(true), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = startStrictServer();
        Map<String, String> properties = new HashMap<>();
        properties.put(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, server.url("/"));
        properties.put(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, "true");
        properties.put("quarkus.tls.trust-all", "true");
        properties.put(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
        properties.put(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
        properties.put(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "test");
        properties.put(Config.KUBERNETES_HTTP2_DISABLE, "true");
        properties.forEach(System::setProperty);
        return properties;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(KubernetesTestServer.class, KubernetesMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }
}
