package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory end to end (issue 5): the stack's development LDAP server (UnboundID's in-memory server seeded from
 * deploy/ldap/portcullis-dev.ldif, domain corp.example), policy-service looking up in it, the scanners resolving
 * {@code group:} scopes and aliases through policy-service, and both edges validating corp.example recipients at
 * RCPT. The one rule added is scoped to this test's own sender and removed afterwards.
 *
 * <p>Unknown users refused at RCPT also count as a directory harvest for the IP Profiler.
 *
 * <p>Directory (see docs/directory.md): alice (finance, alias accounts@), bob (staff only), carol (payroll, so
 * finance and staff by nesting), dave (engineering), erin (no group).
 */
class DirectoryE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENDER = "directory-e2e@example.net";
    private static final String RULE = "e2e-directory-finance";
    private static final String TAG = "[FINANCE] ";
    private static final Stack stack = Stack.get();

    private static SmtpClient.Reply rcpt(String portKey, String address) throws Exception {
        try (SmtpClient c = SmtpClient.connect("127.0.0.1", Integer.parseInt(stack.value(portKey)))) {
            c.greeting();
            c.command("EHLO e2e.test");
            c.command("MAIL FROM:<" + SENDER + ">");
            return c.command("RCPT TO:<" + address + ">");
        }
    }

    @BeforeAll
    static void financeRule() throws Exception {
        // `up` makes corp.example an accepted domain; both edges know it once they answer 250 for a known user
        for (String port : List.of("PORTCULLIS_SMTP_PORT", "PORTCULLIS_SMTP_PORT_2")) {
            Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500))
                    .until(() -> rcpt(port, "alice@corp.example").code() == 250);
        }
        ObjectNode rule = JSON.createObjectNode().put("id", RULE).put("name", "e2e finance group tag")
                .put("priority", 3);
        ObjectNode scope = rule.putObject("scope");
        scope.putArray("senders").add(SENDER);
        scope.putArray("recipients").add("group:finance");
        rule.putArray("conditions");
        ObjectNode tag = JSON.createObjectNode().put("type", "tag-subject").put("value", TAG);
        ObjectNode header = JSON.createObjectNode().put("type", "add-header");
        header.putArray("headers").addObject().put("name", "X-E2E-Directory").put("value", "finance");
        rule.putArray("actions").add(tag).add(header);
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules", "application/json",
                JSON.writeValueAsBytes(rule));
        assertEquals(201, r.statusCode(), r.body());
        // both scanners evaluate with it (their scan API names the matched rule for a nested member)
        byte[] probe = Messages.plain(SENDER, "carol@corp.example", "probe", "x");
        for (String scanner : List.of("PORTCULLIS_SCANNER_URL", "PORTCULLIS_SCANNER_URL_2")) {
            Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> s = stack.post(scanner, "/api/v1/scan?rcpt=carol@corp.example&mailFrom="
                        + SENDER, "message/rfc822", probe);
                return s.statusCode() == 200 && s.body().contains("\"" + RULE + "\"");
            });
        }
    }

    @AfterAll
    static void removeRule() {
        stack.delete("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules/" + RULE);
    }

    private static String send(List<String> rcpts, String subject) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send(SENDER, rcpts, Messages.plain(SENDER, rcpts.get(0), subject, "figures"));
            assertEquals(250, r.code(), r.text());
            assertNotNull(r.queueId(), r.toString());
            return r.queueId();
        }
    }

    /** Each recipient's delivered copy (the development sink keeps one per envelope recipient). */
    private static Map<String, String> copies(String id, List<String> rcpts) {
        Map<String, String> out = new HashMap<>();
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (String r : rcpts) {
                Path f = stack.sinkFile(r, id);
                if (!out.containsKey(r) && Files.exists(f)) {
                    out.put(r, Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
            return out.size() == rcpts.size();
        });
        return out;
    }

    private static boolean tagged(String copy, String subject) {
        return copy.contains("Subject: " + TAG + subject) && copy.contains("X-E2E-Directory: finance");
    }

    @Test
    void aGroupRuleActsForDirectAndNestedMembersOnlyAndSplitsTheMessage() throws Exception {
        List<String> rcpts = List.of("alice@corp.example", "carol@corp.example", "bob@corp.example",
                "erin@corp.example");
        String subject = "quarterly figures " + System.nanoTime();
        String id = send(rcpts, subject);
        Map<String, String> got = copies(id, rcpts);
        assertTrue(tagged(got.get("alice@corp.example"), subject), "alice is in finance: "
                + got.get("alice@corp.example"));
        assertTrue(tagged(got.get("carol@corp.example"), subject), "carol is in finance through payroll");
        for (String outsider : List.of("bob@corp.example", "erin@corp.example")) {
            String copy = got.get(outsider);
            assertTrue(copy.contains("Subject: " + subject), outsider + ": " + copy);
            assertFalse(copy.contains(TAG) || copy.contains("X-E2E-Directory"), outsider + " is not in finance");
        }
        // split into two groups, both delivered: the message as a whole ends DELIVERED
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode t = stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id);
            return t != null && "DELIVERED".equals(t.path("message").path("state").asText());
        });
    }

    @Test
    void anAliasRecipientGetsTheCanonicalUsersGroups() throws Exception {
        List<String> rcpts = List.of("accounts@corp.example", "dave@corp.example");
        String subject = "invoice " + System.nanoTime();
        String id = send(rcpts, subject);
        Map<String, String> got = copies(id, rcpts);
        assertTrue(tagged(got.get("accounts@corp.example"), subject),
                "accounts@ is alice's alias, so in finance: " + got.get("accounts@corp.example"));
        assertFalse(got.get("dave@corp.example").contains(TAG), "dave is in engineering, not finance");
    }

    @Test
    void unknownDirectoryUsersAreRefusedAtRcptOnBothEdgesAndOtherDomainsAreNotValidated() throws Exception {
        for (String port : List.of("PORTCULLIS_SMTP_PORT", "PORTCULLIS_SMTP_PORT_2")) {
            try (SmtpClient c = SmtpClient.connect("127.0.0.1", Integer.parseInt(stack.value(port)))) {
                c.greeting();
                c.command("EHLO e2e.test");
                assertEquals(250, c.command("MAIL FROM:<" + SENDER + ">").code());
                String nobody = "nobody-" + System.nanoTime() + "@corp.example";
                SmtpClient.Reply unknown = c.command("RCPT TO:<" + nobody + ">");
                assertEquals(550, unknown.code(), port + ": " + unknown);
                assertTrue(unknown.text().contains("5.1.1"), port + ": " + unknown);
                assertEquals(250, c.command("RCPT TO:<carol@corp.example>").code(), port + ": a known user");
                assertEquals(250, c.command("RCPT TO:<Accounts@Corp.Example>").code(), port + ": an alias, any case");
                assertEquals(250, c.command("RCPT TO:<postmaster@corp.example>").code(), port + ": postmaster");
                assertEquals(250, c.command("RCPT TO:<made-up-" + System.nanoTime() + "@example.com>").code(),
                        port + ": another accepted domain is not validated");
                assertEquals(550, c.command("RCPT TO:<" + nobody + ">").code(), port + ": still unknown (cached)");
            }
        }
    }

    @Test
    void policyServiceReportsTheDirectoryReachableAndResolvesNestedGroupsAndAliases() {
        JsonNode status = stack.getJson("PORTCULLIS_POLICY_URL", "/api/v1/directory/status");
        assertTrue(status.path("configured").asBoolean(), status.toString());
        assertTrue(status.path("reachable").asBoolean(), status.toString());
        assertEquals("openldap", status.path("schema").asText(), status.toString());
        assertTrue(status.path("problem").isNull(), status.toString());

        JsonNode carol = stack.getJson("PORTCULLIS_POLICY_URL",
                "/api/v1/directory/lookup?address=carol@corp.example");
        Map<String, Integer> depth = new HashMap<>();
        carol.path("groups").forEach(g -> depth.put(g.path("name").asText(), g.path("depth").asInt()));
        assertEquals(Map.of("payroll", 1, "finance", 2, "staff", 3), depth, carol.toString());

        JsonNode alias = stack.getJson("PORTCULLIS_POLICY_URL",
                "/api/v1/directory/lookup?address=accounts@corp.example");
        assertEquals("alice@corp.example", alias.path("canonical").asText(), alias.toString());
        assertEquals("uid=alice,ou=people,dc=corp,dc=example", alias.path("dn").asText());
        assertNull(stack.getJson("PORTCULLIS_POLICY_URL", "/api/v1/directory/lookup?address=nobody@corp.example"),
                "unknown address: 404");
    }

    /** RCPT from a client address claimed through an edge's PROXY-protocol listener (loopback is never profiled). */
    private static SmtpClient.Reply rcptAs(String ip, String proxyPortKey, String address) throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", Integer.parseInt(stack.value(proxyPortKey)), 10_000)) {
            c.writeRaw(("PROXY TCP4 " + ip + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(220, c.greeting().code());
            c.command("EHLO harvest.test");
            c.command("MAIL FROM:<a@remote.test>");
            return c.command("RCPT TO:<" + address + ">");
        }
    }

    @Test
    void guessingDirectoryUsersIsAHarvestThatTheIpProfilerBlocks() throws Exception {
        // RFC 2544 benchmarking range: no other test claims it; the test stack blocks after 5 refusals for 15 s
        String ip = "198.18." + ThreadLocalRandom.current().nextInt(0, 256) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
        try (SmtpClient c = new SmtpClient("127.0.0.1", Integer.parseInt(stack.value("PORTCULLIS_SMTP_PROXY_PORT")),
                10_000)) {
            c.writeRaw(("PROXY TCP4 " + ip + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(220, c.greeting().code());
            c.command("EHLO harvest.test");
            assertEquals(250, c.command("MAIL FROM:<a@remote.test>").code());
            for (int i = 0; i < 6; i++) {
                SmtpClient.Reply r = c.command("RCPT TO:<guess" + i + "-" + System.nanoTime() + "@corp.example>");
                assertEquals(550, r.code(), r.toString());
                assertTrue(r.text().contains("5.1.1"), "unknown user, not relay denial: " + r);
            }
        }
        // the refusals reach the profiler; both edges then refuse even a known user from that address
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500))
                .until(() -> rcptAs(ip, "PORTCULLIS_SMTP_PROXY_PORT", "alice@corp.example").code() == 550
                        && rcptAs(ip, "PORTCULLIS_SMTP_PROXY_PORT_2", "alice@corp.example").code() == 550);
        SmtpClient.Reply blocked = rcptAs(ip, "PORTCULLIS_SMTP_PROXY_PORT_2", "alice@corp.example");
        assertTrue(blocked.text().contains("5.7.1"), "blocked, not unknown: " + blocked);
        assertEquals(250, rcptAs("198.19.0.1", "PORTCULLIS_SMTP_PROXY_PORT", "alice@corp.example").code(),
                "another address is not blocked");
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/ip-profiler/blocks/" + ip + "/unblock",
                "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> rcptAs(ip, "PORTCULLIS_SMTP_PROXY_PORT", "alice@corp.example").code() == 250);
    }
}
