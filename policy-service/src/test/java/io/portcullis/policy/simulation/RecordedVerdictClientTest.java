package io.portcullis.policy.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.scan.Category;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.policy.service.UnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way report-service can fail is a 503-mapped UnavailableException, never an empty result. */
class RecordedVerdictClientTest {
    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>("[]");
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<String> query = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/tracking/recorded", exchange -> {
            query.set(exchange.getRequestURI().getRawQuery());
            try {
                Thread.sleep(delay.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RecordedVerdictClient client() {
        return new RecordedVerdictClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                Duration.ofMillis(500));
    }

    @Test
    void readsRecordedVerdictsAndIgnoresUnknownFields() {
        body.set("""
                [{"messageId":"m1","tenant":"t 1","receivedAt":"2026-03-02T10:00:00Z","sender":null,
                  "recipients":["bob@example.com"],"size":10,"findings":[
                    {"symbol":"BAYES_SPAM","category":"SPAM","score":6.5},
                    {"symbol":"NEW_THING","category":"SOMETHING_NEW","score":null}],
                  "attachments":[{"path":"part/2","filename":"a.exe","trueType":null,"size":3}],
                  "futureField":{"x":1}}]""");
        List<RecordedMessage> list = client().last("t 1", 25);
        assertEquals("limit=25&tenant=t+1", query.get());
        assertEquals(1, list.size());
        PolicyInput input = list.get(0).input();
        assertEquals("", input.sender());
        assertEquals(10, input.messageSize());
        assertEquals(Category.SPAM, input.findings().get(0).category());
        assertEquals(Category.INFO, input.findings().get(1).category(), "an unknown category counts as INFO");
        assertEquals(0.0, input.findings().get(1).score());
        assertEquals("exe", input.attachments().get(0).extension());
        assertTrue(input.headers().isEmpty());
        assertEquals(list.get(0).receivedAt(), input.evaluatedAt());
    }

    @Test
    void refusedConnectionIsUnavailable() {
        RecordedVerdictClient c = client();
        server.stop(0);
        UnavailableException e = assertThrows(UnavailableException.class, () -> c.last("default", 10));
        assertTrue(e.getMessage().contains("report-service is unreachable"), e.getMessage());
    }

    @Test
    void errorStatusIsUnavailable() {
        status.set(500);
        body.set("{\"error\":\"internal error\"}");
        UnavailableException e = assertThrows(UnavailableException.class, () -> client().last("default", 10));
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void slowAnswerTimesOutAsUnavailable() {
        delay.set(Duration.ofSeconds(2));
        assertThrows(UnavailableException.class, () -> client().last("default", 10));
    }

    @Test
    void unreadableOrIncompleteAnswerIsUnavailable() {
        body.set("{not json");
        assertThrows(UnavailableException.class, () -> client().last("default", 10));
        body.set("[{\"tenant\":\"default\"}]");
        assertThrows(UnavailableException.class, () -> client().last("default", 10), "no id, no time");
        body.set("null");
        assertThrows(UnavailableException.class, () -> client().last("default", 10));
    }

    @Test
    void badUrlOrTimeoutFailsAtStartUp() {
        assertThrows(IllegalArgumentException.class,
                () -> new RecordedVerdictClient(URI.create("ftp://report:21"), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RecordedVerdictClient(URI.create("report-service"), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RecordedVerdictClient(URI.create("http://localhost:8085"), Duration.ZERO));
    }
}
