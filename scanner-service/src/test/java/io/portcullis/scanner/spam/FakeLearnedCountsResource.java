package io.portcullis.scanner.spam;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.spam.LearnedCounts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for policy-service's {@code GET /api/v1/spam/learned} (JDK HttpServer). It starts with tenant
 * {@code default} at sequence {@value #INITIAL} (the first updates of {@link #updates()}); a test replaces the answer
 * by posting counts JSON to {@code /fake/learned}; {@code GET /fake/fetches} counts the per-tenant fetches. Turns
 * learning on against it.
 */
public class FakeLearnedCountsResource implements QuarkusTestResourceLifecycleManager {
    /** Sequence served at start-up. */
    public static final int INITIAL = 3;

    private HttpServer server;
    private final AtomicReference<String> counts = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();

    /** The learner's updates for tenant default, deterministic: seven released newsletters (ham). */
    static java.util.List<SpamModelUpdated> updates() {
        LearnedUpdates learner = new LearnedUpdates("default");
        java.util.List<SpamModelUpdated> out = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            out.add(learner.learn("released-" + i, LearnedModelsTest.newsletter(i), false));
        }
        return out;
    }

    /** Counts after the first {@code n} updates, as policy-service would answer. */
    static String json(int n) {
        LearnedCounts c = LearnedCounts.EMPTY;
        for (SpamModelUpdated u : updates().subList(0, n)) {
            c = c.apply(u.sequence(), u.spamMessagesDelta(), u.hamMessagesDelta(), u.tokens().stream()
                    .map(d -> new LearnedCounts.TokenDelta(d.hash(), d.spam(), d.ham())).toList());
        }
        StringBuilder b = new StringBuilder("{\"tenant\":\"default\",\"sequence\":").append(c.sequence())
                .append(",\"spamMessages\":").append(c.spamMessages()).append(",\"hamMessages\":")
                .append(c.hamMessages()).append(",\"tokens\":[");
        long[] h = c.hashes();
        int[] s = c.spamCounts();
        int[] m = c.hamCounts();
        for (int i = 0; i < h.length; i++) {
            b.append(i == 0 ? "" : ",").append('[').append(h[i]).append(',').append(s[i]).append(',').append(m[i])
                    .append(']');
        }
        return b.append("]}").toString();
    }

    @Override
    public Map<String, String> start() {
        counts.set(json(INITIAL));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/spam/learned", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            if (query == null) {
                respond(ex, 200, "{\"shared\":false,\"models\":[{\"tenant\":\"default\",\"sequence\":1,"
                        + "\"spamMessages\":0,\"hamMessages\":1}]}");
            } else if (query.equals("tenant=default")) {
                fetches.incrementAndGet();
                respond(ex, 200, counts.get());
            } else {
                respond(ex, 200, "{\"tenant\":\"" + query.substring(7) + "\",\"sequence\":0,\"spamMessages\":0,"
                        + "\"hamMessages\":0,\"tokens\":[]}");
            }
        });
        server.createContext("/fake/learned", ex -> {
            counts.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(ex, 204, "");
        });
        server.createContext("/fake/fetches", ex -> respond(ex, 200, String.valueOf(fetches.get())));
        server.createContext("/", ex -> respond(ex, 404, "{}"));
        server.start();
        return Map.of(
                "portcullis.policy.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "portcullis.scanner.bayes.learning.enabled", "true",
                "portcullis.scanner.bayes.learning.retry-backoff", "50MS");
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
