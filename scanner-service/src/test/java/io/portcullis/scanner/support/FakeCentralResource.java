package io.portcullis.scanner.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for policy-service's central side (JDK HttpServer): {@code GET /api/v1/signatures/active} answers 404
 * until a test posts the active bundle's JSON to {@code /fake/active}; {@code POST /api/v1/reputation/files} answers
 * MALICIOUS for {@link #CENTRAL_KNOWN} and UNKNOWN for everything else (version {@code central-1});
 * {@code GET /fake/requests} returns how many reputation requests were made. Turns on signature updates (polled every
 * second) and Smart Scan against it.
 */
public class FakeCentralResource implements QuarkusTestResourceLifecycleManager {
    /** The only content the fake central service knows as malicious. */
    public static final byte[] CENTRAL_KNOWN = Bundles.random(4242, 3000);

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final AtomicInteger reputationRequests = new AtomicInteger();
    private final AtomicReference<String> active = new AtomicReference<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String known = Bundles.sha256(CENTRAL_KNOWN);
        server.createContext("/api/v1/signatures/active", ex -> {
            String body = active.get();
            respond(ex, body == null ? 404 : 200, body == null ? "{\"error\":\"no bundle\"}" : body);
        });
        server.createContext("/fake/active", ex -> {
            active.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(ex, 204, "");
        });
        server.createContext("/api/v1/reputation/files", ex -> {
            reputationRequests.incrementAndGet();
            JsonNode request = JSON.readTree(ex.getRequestBody());
            ObjectNode response = JSON.createObjectNode().put("version", "central-1");
            ArrayNode results = response.putArray("results");
            for (JsonNode f : request.get("files")) {
                String sha = f.get("sha256").asText();
                ObjectNode r = results.addObject().put("sha256", sha);
                if (sha.equals(known) && f.get("size").asLong() == CENTRAL_KNOWN.length) {
                    r.put("verdict", "MALICIOUS").put("signature", "Win.Trojan.CentralOnly-1").put("category", "TROJAN");
                } else {
                    r.put("verdict", "UNKNOWN");
                }
            }
            respond(ex, 200, JSON.writeValueAsString(response));
        });
        server.createContext("/fake/requests", ex -> respond(ex, 200, String.valueOf(reputationRequests.get())));
        server.createContext("/", ex -> respond(ex, 404, "{}"));
        server.start();
        return Map.of(
                "portcullis.policy.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "portcullis.scanner.signatures.updates.enabled", "true",
                "portcullis.scanner.signatures.updates.retry-backoff", "50MS",
                "portcullis.scanner.signatures.updates.poll-interval", "1S",
                "portcullis.scanner.signatures.updates.max-attempts", "2",
                "portcullis.scanner.smart-scan.enabled", "true");
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
