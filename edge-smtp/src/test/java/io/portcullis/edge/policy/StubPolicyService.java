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
    private final AtomicInteger directoryRequests = new AtomicInteger();
    /** Addresses (lower case) the stub directory knows, primary addresses and aliases alike. */
    private final java.util.Set<String> directory = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When set, every directory look-up answers this status (e.g. 503). */
    private volatile int directoryStatus;
    /** Delay before each directory answer, in milliseconds. */
    private volatile long directoryDelayMillis;

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
        http.createContext("/api/v1/directory/lookup", exchange -> {
            stub.directoryRequests.incrementAndGet();
            String query = exchange.getRequestURI().getRawQuery();
            String address = query == null || !query.startsWith("address=") ? ""
                    : java.net.URLDecoder.decode(query.substring("address=".length()), StandardCharsets.UTF_8);
            try {
                if (stub.directoryDelayMillis > 0) {
                    Thread.sleep(stub.directoryDelayMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int code = stub.directoryStatus != 0 ? stub.directoryStatus
                    : stub.directory.contains(address.toLowerCase(java.util.Locale.ROOT)) ? 200 : 404;
            byte[] bytes = (code == 200 ? "{\"address\":\"" + address + "\"}" : "{\"error\":\"stub\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
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

    /** The stub directory: these addresses exist (any case); every other address is unknown (404). */
    public void directory(String... addresses) {
        directory.clear();
        for (String a : addresses) {
            directory.add(a.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Every directory look-up answers this status from now on; 0 for normal answers. */
    public void directoryStatus(int status) {
        this.directoryStatus = status;
    }

    /** Each directory answer waits this long. */
    public void directoryDelay(java.time.Duration delay) {
        this.directoryDelayMillis = delay.toMillis();
    }

    public int directoryRequests() {
        return directoryRequests.get();
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
