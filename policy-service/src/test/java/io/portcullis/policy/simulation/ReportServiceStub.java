package io.portcullis.policy.simulation;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.events.EventJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small report-service in the test: serves {@code GET /api/v1/tracking/recorded} from {@link #serve}, records
 * the queries it got, and can be stopped to test "report-service down".
 */
public class ReportServiceStub implements QuarkusTestResourceLifecycleManager {
    static volatile List<Map<String, Object>> recorded = List.of();
    static final List<String> queries = new CopyOnWriteArrayList<>();
    private static HttpServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            server = create(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = server.getAddress().getPort();
        return Map.of("portcullis.policy.simulation.report-url", "http://127.0.0.1:" + port,
                "portcullis.policy.simulation.timeout", "3s");
    }

    private static HttpServer create(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 0);
        s.createContext("/api/v1/tracking/recorded", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            byte[] body = EventJson.write(recorded);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        return s;
    }

    static void serve(Recorded... messages) {
        recorded = java.util.Arrays.stream(messages).map(Recorded::json).toList();
        queries.clear();
    }

    /** Stops the stub: connections are refused. */
    static void down() {
        server.stop(0);
    }

    /** Starts it again on the same port. */
    static void up() throws IOException {
        server = create(port);
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
