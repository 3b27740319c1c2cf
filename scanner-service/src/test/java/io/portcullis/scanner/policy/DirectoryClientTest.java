package io.portcullis.scanner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.policy.engine.Directory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryClientTest {
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/directory/lookup", exchange -> {
            calls.incrementAndGet();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DirectoryClient client() {
        return new DirectoryClient("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(2),
                Duration.ofMinutes(1));
    }

    @Test
    void aKnownUserHasAliasesAndEveryGroupByNameAndDnCached() {
        body = "{\"address\":\"Bob@Example.com\",\"canonical\":\"robert@example.com\",\"aliases\":[\"bob@example.com\"],"
                + "\"dn\":\"uid=bob,dc=example,dc=com\",\"groups\":[{\"name\":\"Sales\",\"dn\":\"cn=Sales,dc=example,dc=com\","
                + "\"depth\":1},{\"name\":\"staff\",\"dn\":\"cn=staff,dc=example,dc=com\",\"depth\":2}]}";
        DirectoryClient c = client();
        Directory.Membership m = c.lookup("Bob@Example.com");
        assertEquals(Set.of("robert@example.com", "bob@example.com"), m.aliases());
        assertEquals(Set.of("sales", "cn=sales,dc=example,dc=com", "staff", "cn=staff,dc=example,dc=com"), m.groups());
        c.lookup("bob@example.com");
        assertEquals(1, calls.get(), "the second look-up comes from the cache");
    }

    @Test
    void unknownAddressesAndNoDirectoryMeanNoGroups() {
        status = 404;
        body = "{\"error\":\"unknown address\"}";
        assertEquals(Directory.Membership.NONE, client().lookup("x@example.com"));
        status = 503;
        body = "{\"error\":\"directory not configured\"}";
        assertEquals(Directory.Membership.NONE, client().lookup("y@example.com"));
    }

    @Test
    void outagesAndGarbageAreUnavailableNeverNoGroups() {
        status = 503;
        body = "{\"error\":\"directory unavailable: timeout\"}";
        assertThrows(Directory.DirectoryUnavailableException.class, () -> client().lookup("a@example.com"));
        status = 200;
        body = "not json {";
        assertThrows(Directory.DirectoryUnavailableException.class, () -> client().lookup("b@example.com"));
        status = 500;
        body = "";
        assertThrows(Directory.DirectoryUnavailableException.class, () -> client().lookup("c@example.com"));
        DirectoryClient c = client();
        server.stop(0);
        assertThrows(Directory.DirectoryUnavailableException.class, () -> c.lookup("d@example.com"));
    }
}
