package io.carpoperator.bench;

import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the mock API server received, by who sent them (the User-Agent: simulated agents, the benchmark's
 * driver, or else the operator), verb and resource. Takes them off the server's request queue as they come, which also
 * keeps that queue (it records every request, body included) from filling the heap.
 */
final class ApiRequestTally implements AutoCloseable {
    static final String AGENT_USER_AGENT = "carp-bench-agent";
    static final String DRIVER_USER_AGENT = "carp-bench-driver";

    private final DefaultMockServer server;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Thread drain;
    private volatile boolean running = true;

    private ApiRequestTally(DefaultMockServer server) {
        this.server = server;
        this.drain = new Thread(this::drain, "bench-request-tally");
        drain.setDaemon(true);
    }

    static ApiRequestTally start(DefaultMockServer server) {
        ApiRequestTally tally = new ApiRequestTally(server);
        tally.drain.start();
        return tally;
    }

    /** Counts per "who verb resource" key, e.g. "agent PATCH virtualips/status". */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }

    static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
        Map<String, Long> delta = new TreeMap<>();
        later.forEach((key, count) -> {
            long d = count - earlier.getOrDefault(key, 0L);
            if (d != 0) {
                delta.put(key, d);
            }
        });
        return delta;
    }

    static boolean isWrite(String key) {
        String verb = key.split(" ")[1];
        return verb.equals("POST") || verb.equals("PUT") || verb.equals("PATCH") || verb.equals("DELETE");
    }

    static String who(String key) {
        return key.split(" ")[0];
    }

    @Override
    public void close() {
        running = false;
        try {
            drain.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        while (running) {
            try {
                RecordedRequest request = server.takeRequest(100, TimeUnit.MILLISECONDS);
                if (request != null) {
                    counts.computeIfAbsent(key(request), k -> new LongAdder()).increment();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String key(RecordedRequest request) {
        String userAgent = request.getHeader("User-Agent");
        String who = userAgent == null ? "operator"
                : userAgent.startsWith(AGENT_USER_AGENT) ? "agent"
                : userAgent.startsWith(DRIVER_USER_AGENT) ? "driver" : "operator";
        String path = request.getPath();
        int query = path.indexOf('?');
        String verb = request.getMethod();
        if (query >= 0 && path.substring(query).contains("watch=true")) {
            verb = "WATCH";
        }
        return who + " " + verb + " " + resource(query >= 0 ? path.substring(0, query) : path);
    }

    /** "/apis/g/v/namespaces/ns/plural/name/sub" -> "plural/sub"; a collection -> "plural (list)". */
    static String resource(String path) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        int i;
        if (parts.length > 0 && parts[0].equals("api")) {
            i = 2;
        } else if (parts.length > 0 && parts[0].equals("apis")) {
            i = 3;
        } else {
            return path;
        }
        if (i + 1 < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
            i += 2;
        }
        if (i >= parts.length) {
            return path;
        }
        String plural = parts[i];
        if (i + 1 >= parts.length) {
            return plural + " (list)";
        }
        return i + 2 < parts.length ? plural + "/" + parts[i + 2] : plural;
    }
}
