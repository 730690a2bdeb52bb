package io.carpoperator.agent;

import io.carpoperator.dataplane.AgentMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class AgentHttpServerTest {

    @Test
    void metricsRenderStateTransitionsProbesRestartsAndStatusWriteFailures() {
        AgentMetrics metrics = new AgentMetrics();
        metrics.stateChanged("web", "198.51.100.10", NodeState.BACKUP);
        metrics.stateChanged("web", "198.51.100.10", NodeState.MASTER);
        metrics.probeRound("web", new ProbeRound(Instant.EPOCH, List.of(
                ProbeResult.answered(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12"), Duration.ofMillis(2)),
                ProbeResult.failed(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1"), "exit 1: no reply"))));
        metrics.ucarpRestarts("web", 3);
        metrics.statusWriteFailed();

        String text = metrics.render();

        assertThat(text).contains("carp_vip_state{vip=\"web\",address=\"198.51.100.10\",state=\"MASTER\"} 1\n")
                .doesNotContain("state=\"BACKUP\"} 1")
                .contains("carp_vip_transitions_total{vip=\"web\",to=\"MASTER\"} 1\n")
                .contains("carp_vip_transitions_total{vip=\"web\",to=\"BACKUP\"} 1\n")
                .contains("carp_probe_failures_total{vip=\"web\",role=\"isolation_host\"} 1\n")
                .contains("carp_probe_failures_total{vip=\"web\",role=\"peer\"} 0\n")
                .contains("carp_probe_rtt_seconds{vip=\"web\",role=\"peer\"} 0.002000\n")
                .contains("carp_ucarp_restarts_total{vip=\"web\"} 3\n")
                .contains("carp_status_write_failures_total 1\n")
                .contains("# TYPE carp_vip_transitions_total counter");

        metrics.remove("web");
        assertThat(metrics.render()).doesNotContain("vip=\"web\"");
    }

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
            assertThat(scraped.body()).contains("carp_vip_state{vip=\"web\",address=\"198.51.100.10\",state=\"INIT\"} 1");
        }
    }

    private static HttpResponse<String> get(HttpClient client, String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
