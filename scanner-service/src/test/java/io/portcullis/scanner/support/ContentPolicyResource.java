package io.portcullis.scanner.support;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.portcullis.scanner.policy.DefaultPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stand-in policy-service with full-form rules on top of the seeded ones (a keyword rule, a DLP rule, a rule for a
 * directory group) and a directory look-up that knows {@code legal@example.com} (group {@code Legal}, alias
 * {@code counsel@example.com}).
 */
public class ContentPolicyResource implements QuarkusTestResourceLifecycleManager {
    public static final long VERSION = 11;
    private HttpServer server;

    public static PolicySnapshot snapshot() {
        PolicySnapshot d = DefaultPolicy.SNAPSHOT;
        List<PolicyRule> rules = new ArrayList<>(d.rules());
        rules.add(PolicyRule.of("bluebird", "Project Bluebird stays inside", 50, Direction.BOTH, null,
                List.of(new RuleCondition("keywords", "all", null, List.of("project bluebird"), null, false)),
                List.of(RuleAction.of("quarantine", "confidential"))));
        rules.add(PolicyRule.of("cards", "Card numbers", 51, Direction.BOTH, null,
                List.of(new RuleCondition("dlp", null, null, List.of("credit-card"), 1.0, false)),
                List.of(RuleAction.of("quarantine", "dlp"))));
        rules.add(PolicyRule.of("legal-tag", "Tag mail for Legal", 52, Direction.INBOUND,
                new RuleScope(null, List.of("group:legal"), null, null), List.of(),
                List.of(RuleAction.of("tag-subject", "[LEGAL] "))));
        return new PolicySnapshot(d.tenant(), VERSION, d.acceptedDomains(), d.spamThreshold(), d.blockedExtensions(),
                rules, List.of());
    }

    @Override
    public Map<String, String> start() {
        byte[] body = EventJson.write(snapshot());
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/policy/snapshot", ex -> reply(ex, 200, body));
        server.createContext("/api/v1/directory/lookup", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            if (q != null && (q.contains("legal%40example.com") || q.contains("counsel%40example.com"))) {
                reply(ex, 200, ("{\"address\":\"legal@example.com\",\"canonical\":\"legal@example.com\","
                        + "\"aliases\":[\"counsel@example.com\"],\"dn\":\"uid=legal,dc=example,dc=com\","
                        + "\"groups\":[{\"name\":\"Legal\",\"dn\":\"cn=Legal,dc=example,dc=com\",\"depth\":1}]}")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                reply(ex, 404, "{\"error\":\"unknown address\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        return Map.of("portcullis.policy.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
