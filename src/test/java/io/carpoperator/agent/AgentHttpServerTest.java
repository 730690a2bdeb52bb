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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class AgentHttpServerTest {

    @Test
    void servesHealthReadinessAndMetrics() throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        metrics.stateChanged("web", "198.51.100.10", NodeState.INIT);
        AtomicReference<HealthVerdict> live = new AtomicReference<>(HealthVerdict.FINE);
        AtomicReference<HealthVerdict> ready = new AtomicReference<>(new HealthVerdict(List.of("VirtualIP web: still INIT (starting ucarp)")));
        HttpClient client = HttpClient.newHttpClient();
        try (AgentHttpServer server = AgentHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                metrics, live::get, ready::get)) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(client, base + "/healthz")).returns(200, HttpResponse::statusCode).returns("ok\n", HttpResponse::body);
            assertThat(get(client, base + "/readyz")).returns(503, HttpResponse::statusCode)
                    .returns("not ready:\nVirtualIP web: still INIT (starting ucarp)\n", HttpResponse::body);
            ready.set(HealthVerdict.FINE);
            assertThat(get(client, base + "/readyz")).returns(200, HttpResponse::statusCode).returns("ready\n", HttpResponse::body);
            live.set(new HealthVerdict(List.of("data-plane scheduler: no heartbeat for 16 s (limit 15 s)", "status writer: hung")));
            assertThat(get(client, base + "/healthz")).returns(503, HttpResponse::statusCode).returns(
                    "not healthy:\ndata-plane scheduler: no heartbeat for 16 s (limit 15 s)\nstatus writer: hung\n", HttpResponse::body);
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
