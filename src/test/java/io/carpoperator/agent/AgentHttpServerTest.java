package io.carpoperator.agent;

import io.carpoperator.dataplane.AgentMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.testing.PrometheusSamples;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class AgentHttpServerTest {

    @Test
    void servesHealthReadinessAndMetrics() throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        metrics.stateChanged("web", "198.51.100.10", NodeState.INIT);
        AtomicBoolean ready = new AtomicBoolean();
        HttpClient client = HttpClient.newHttpClient();
        try (AgentHttpServer server = AgentHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                metrics, () -> true, ready::get)) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(client, base + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(client, base + "/readyz").statusCode()).isEqualTo(503);
            ready.set(true);
            assertThat(get(client, base + "/readyz").statusCode()).isEqualTo(200);
            HttpResponse<String> scraped = get(client, base + "/metrics");
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type")).hasValue(AgentHttpServer.METRICS_CONTENT_TYPE);
            assertThat(PrometheusSamples.parse(scraped.body()).value("carp_vip_state", "vip", "web", "address", "198.51.100.10", "state", "INIT"))
                    .hasValue(1);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
