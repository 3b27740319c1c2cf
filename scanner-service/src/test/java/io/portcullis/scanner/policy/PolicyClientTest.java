package io.portcullis.scanner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a stub policy-service answering the snapshot JSON. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PolicyClientTest {
    private static final String SNAPSHOT = """
            {"tenant":"default","version":12,"acceptedDomains":["example.com"],"spamThreshold":3.5,
             "blockedExtensions":["exe","js"],"unknownField":true,
             "rules":[{"id":"spam-tag","name":"Tag spam","priority":40,"match":"SPAM","action":"TAG",
                       "subjectPrefix":"[SPAM] ","addHeaders":[{"name":"X-Portcullis-Spam","value":"yes"}]},
                      {"id":"v","name":"v","priority":10,"match":"VIRUS","action":"DELETE","subjectPrefix":null,
                       "addHeaders":[]}]}
            """;

    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>(SNAPSHOT);
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/policy/snapshot", exchange -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PolicyCache cache() {
        PolicyClient client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .build(PolicyClient.class);
        return new PolicyCache(client::snapshot, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Test
    void fetchesAndMapsTheSnapshotJson() {
        PolicyCache cache = cache();
        assertTrue(cache.refresh());
        var s = cache.current();
        assertEquals(12, s.version());
        assertEquals(3.5, s.spamThreshold());
        assertEquals(List.of("exe", "js"), s.blockedExtensions());
        assertEquals(Action.TAG, s.rules().get(0).action());
        assertEquals(List.of(new HeaderField("X-Portcullis-Spam", "yes")), s.rules().get(0).addHeaders());
        assertEquals(Action.DELETE, s.rules().get(1).action());
    }

    @Test
    void serverErrorOrInvalidJsonKeepsThePreviousSnapshot() {
        PolicyCache cache = cache();
        assertTrue(cache.refresh());
        status.set(500);
        assertFalse(cache.refresh());
        status.set(200);
        body.set("{\"version\":13}");
        assertFalse(cache.refresh(), "a snapshot without its lists is rejected");
        assertEquals(12, cache.current().version());
    }
}
