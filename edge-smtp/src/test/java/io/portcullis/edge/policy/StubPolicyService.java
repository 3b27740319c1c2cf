package io.portcullis.edge.policy;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.policy.PolicySnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny policy-service: GET /api/v1/policy/snapshot answers whatever the test set. */
public final class StubPolicyService implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = snapshot(1, "example.com");

    private StubPolicyService(HttpServer server) {
        this.server = server;
    }

    public static StubPolicyService start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        StubPolicyService stub = new StubPolicyService(http);
        http.createContext(PolicySnapshotClient.PATH, exchange -> {
            stub.requests.incrementAndGet();
            byte[] bytes = stub.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(stub.status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.start();
        return stub;
    }

    public static String snapshot(long version, String... domains) {
        return new String(EventJson.write(new PolicySnapshot("default", version, List.of(domains), 5.0, List.of(),
                List.of())), StandardCharsets.UTF_8);
    }

    public void respond(int newStatus, String newBody) {
        this.status = newStatus;
        this.body = newBody;
    }

    public int requests() {
        return requests.get();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
