package io.portcullis.scanner.support;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.contracts.policy.SenderListEntry.Kind;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in policy-service answering {@code GET /api/v1/policy/snapshot} with the seeded policy (version
 * {@value #VERSION}) plus {@link #LISTS}, so the scanner's PolicyCache loads sender lists as in production.
 */
public class SenderListPolicyResource implements QuarkusTestResourceLifecycleManager {
    public static final long VERSION = 7;
    /** Blocked: anything under spam.example; safe for example.com: partner.example, except for bob@example.com. */
    public static final List<SenderListEntry> LISTS = List.of(
            new SenderListEntry("*", "*.spam.example", Kind.BLOCKED),
            new SenderListEntry("example.com", "partner.example", Kind.SAFE),
            new SenderListEntry("bob@example.com", "partner.example", Kind.BLOCKED));

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        PolicySnapshot d = DefaultPolicy.SNAPSHOT;
        byte[] body = EventJson.write(new PolicySnapshot(d.tenant(), VERSION, d.acceptedDomains(), d.spamThreshold(),
                d.blockedExtensions(), d.rules(), LISTS));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/policy/snapshot", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        Map<String, String> config = new HashMap<>(extraConfig());
        config.put("portcullis.policy.url", "http://127.0.0.1:" + server.getAddress().getPort());
        return config;
    }

    /** More configuration for subclasses. */
    protected Map<String, String> extraConfig() {
        return Map.of();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
