package io.carpoperator.agent;

import io.carpoperator.dataplane.AgentMetrics;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} on the JDK's built-in HTTP server: the agent needs no web
 * framework for three tiny endpoints, and it starts in milliseconds.
 */
public final class AgentHttpServer implements AutoCloseable {

    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private AgentHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param live  fine while the agent's loops run (else /healthz answers 503 and names the stuck one); must not block
     * @param ready fine once every VIP of this node has settled (else /readyz answers 503 and lists the VIPs it waits
     *              for); must not block either: one thread answers both probes
     */
    public static AgentHttpServer start(InetSocketAddress address, AgentMetrics metrics, Supplier<HealthVerdict> live,
                                       Supplier<HealthVerdict> ready) throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> probe(exchange, live, "ok", "not healthy"));
        server.createContext("/readyz", exchange -> probe(exchange, ready, "ready", "not ready"));
        server.createContext("/metrics", exchange -> respond(exchange, 200, METRICS_CONTENT_TYPE, metrics::render));
        server.start();
        return new AgentHttpServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void probe(HttpExchange exchange, Supplier<HealthVerdict> check, String fine, String failed) throws IOException {
        HealthVerdict verdict;
        try {
            verdict = check.get();
        } catch (RuntimeException e) {
            verdict = new HealthVerdict(List.of("the check itself failed: " + e));
        }
        String body = verdict.fine() ? fine + "\n" : failed + ":\n" + String.join("\n", verdict.problems()) + "\n";
        respond(exchange, verdict.fine() ? 200 : 503, "text/plain; charset=utf-8", () -> body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, Supplier<String> body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
