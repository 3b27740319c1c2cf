package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Releases from quarantine are rescanned before they are delivered (ADR 0010). Two rules, each for its own recipient
 * and ordered before the default rules: one quarantines spam (the default only tags it), one holds every message
 * (so a message with EICAR lands in a policy area, not in {@code virus}). A released spam message arrives once; a
 * released EICAR message does not arrive and is quarantined again, as virus, as a new item of its own.
 */
class ReleaseE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENDER = "release-e2e@example.net";
    private static final String SPAM_RCPT = "release-spam-e2e@example.com";
    private static final String HOLD_RCPT = "release-hold-e2e@example.com";
    private static final List<String> CREATED = new ArrayList<>();
    private static final Stack stack = Stack.get();

    private static ObjectNode rule(String id, String rcpt, List<ObjectNode> conditions, String area) {
        ObjectNode r = JSON.createObjectNode().put("id", id).put("name", "e2e " + id).put("priority", 2);
        r.putObject("scope").putArray("recipients").add(rcpt);
        ArrayNode conds = r.putArray("conditions");
        conditions.forEach(conds::add);
        ObjectNode quarantine = r.putArray("actions").addObject().put("type", "quarantine");
        if (area != null) {
            quarantine.put("value", area);
        }
        return r;
    }

    private static void install(ObjectNode rule) throws Exception {
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules", "application/json",
                JSON.writeValueAsBytes(rule));
        assertEquals(201, r.statusCode(), rule.path("id").asText() + ": " + r.body());
        CREATED.add(rule.path("id").asText());
    }

    /** Both scanners evaluate with the rule (its id shows in the scan API's answer for this recipient). */
    private static void awaitScanners(String rcpt, String ruleId, String body) {
        byte[] probe = Messages.plain(SENDER, rcpt, "probe", body);
        for (String scanner : List.of("PORTCULLIS_SCANNER_URL", "PORTCULLIS_SCANNER_URL_2")) {
            Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> r = stack.post(scanner, "/api/v1/scan?rcpt=" + rcpt + "&mailFrom=" + SENDER,
                        "message/rfc822", probe);
                return r.statusCode() == 200 && r.body().contains("\"" + ruleId + "\"");
            });
        }
    }

    @BeforeAll
    static void rules() throws Exception {
        ObjectNode spam = JSON.createObjectNode().put("type", "class");
        spam.putArray("values").add("SPAM");
        install(rule("e2e-release-spam", SPAM_RCPT, List.of(spam), null));
        install(rule("e2e-release-hold", HOLD_RCPT, List.of(), "e2e-held"));
        awaitScanners(SPAM_RCPT, "e2e-release-spam", "spam " + Messages.GTUBE);
        awaitScanners(HOLD_RCPT, "e2e-release-hold", "x");
    }

    @AfterAll
    static void removeRules() {
        for (String id : CREATED) {
            stack.delete("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules/" + id);
        }
    }

    private static String send(String rcpt, byte[] message) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send(SENDER, List.of(rcpt), message);
            assertEquals(250, r.code(), r.text());
            assertNotNull(r.queueId(), r.toString());
            return r.queueId();
        }
    }

    /** The quarantine items of a recipient whose message id starts with {@code prefix}. */
    private static List<JsonNode> items(String rcpt, String prefix) {
        JsonNode page = stack.getJson("PORTCULLIS_QUARANTINE_URL", "/api/v1/quarantine?recipient=" + rcpt
                + "&limit=200");
        List<JsonNode> found = new ArrayList<>();
        if (page != null) {
            page.path("items").forEach(i -> {
                if (i.path("messageId").asText().startsWith(prefix)) {
                    found.add(i);
                }
            });
        }
        return found;
    }

    private static JsonNode awaitItem(String rcpt, String messageId) {
        JsonNode[] item = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            item[0] = items(rcpt, messageId).stream().filter(i -> i.path("messageId").asText().equals(messageId))
                    .findFirst().orElse(null);
            return item[0] != null;
        });
        return item[0];
    }

    private static void release(String itemId) {
        HttpResponse<String> r = stack.post("PORTCULLIS_QUARANTINE_URL", "/api/v1/quarantine/" + itemId + "/release",
                "application/json", new byte[0]);
        assertEquals(202, r.statusCode(), r.body());
    }

    /** Sink copies for a recipient of the message or of its releases ({@code <id>r<hash>.eml}: dots are dropped). */
    private static List<Path> copies(String rcpt, String id) throws IOException {
        Path dir = stack.sinkDir().resolve("rcpt").resolve(rcpt);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id)).toList();
        }
    }

    private static JsonNode tracking(String id) {
        return stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id);
    }

    private static List<String> pathTypes(JsonNode trace) {
        List<String> types = new ArrayList<>();
        if (trace != null) {
            trace.path("path").forEach(step -> types.add(step.path("type").asText()));
        }
        return types;
    }

    private static List<String> symbols(JsonNode trace) {
        List<String> symbols = new ArrayList<>();
        trace.path("message").path("symbols").forEach(s -> symbols.add(s.asText()));
        return symbols;
    }

    @Test
    void spamReleasedThroughTheQuarantineApiIsRescannedAndArrivesExactlyOnce() throws Exception {
        String id = send(SPAM_RCPT, Messages.plain(SENDER, SPAM_RCPT, "release my spam", "spam " + Messages.GTUBE));
        JsonNode item = awaitItem(SPAM_RCPT, id);
        assertEquals("spam", item.path("area").asText(), item.toString());
        assertTrue(copies(SPAM_RCPT, id).isEmpty(), "quarantined, not delivered");

        release(item.path("itemId").asText());

        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250))
                .until(() -> !copies(SPAM_RCPT, id).isEmpty());
        List<Path> copies = copies(SPAM_RCPT, id);
        assertEquals(1, copies.size(), copies.toString());
        String name = copies.get(0).getFileName().toString();
        assertTrue(name.matches(id + "r[0-9a-f]{10}\\.eml"), "delivered as the release's rescan: " + name);
        String delivered = Files.readString(copies.get(0), StandardCharsets.ISO_8859_1);
        assertTrue(delivered.contains("Subject: release my spam"), "the original, untagged");
        assertFalse(delivered.contains("[SPAM]"));

        // the rescan verdict and its one delivery, as report-service recorded them
        String rescanId = id + ".r" + name.substring(id.length() + 1, name.length() - ".eml".length());
        JsonNode[] trace = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            trace[0] = tracking(rescanId);
            return trace[0] != null && pathTypes(trace[0]).contains("DELIVERED")
                    && trace[0].path("message").hasNonNull("action");
        });
        assertEquals("release-rescan", trace[0].path("message").path("ruleId").asText(), trace[0].toString());
        assertEquals("deliver", trace[0].path("message").path("action").asText().toLowerCase());
        assertTrue(symbols(trace[0]).contains("RELEASE_RESCAN"), symbols(trace[0]).toString());
        assertFalse(symbols(trace[0]).contains("GTUBE"), "spam engines do not run on a release");
        assertEquals(List.of(SPAM_RCPT), JSON.convertValue(trace[0].path("message").path("recipients"), List.class));
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250))
                .until(() -> pathTypes(tracking(id)).contains("RELEASED"));

        // nothing else delivers it: no second copy, one DELIVERED, none under the original id
        Thread.sleep(5_000);
        assertEquals(1, copies(SPAM_RCPT, id).size(), copies(SPAM_RCPT, id).toString());
        assertEquals(1, pathTypes(tracking(rescanId)).stream().filter("DELIVERED"::equals).count(),
                pathTypes(tracking(rescanId)).toString());
        assertFalse(pathTypes(tracking(id)).contains("DELIVERED"), pathTypes(tracking(id)).toString());
    }

    @Test
    void eicarHeldByAPolicyRuleIsReleasedButNotDeliveredAndIsQuarantinedAgainAsVirus() throws Exception {
        String id = send(HOLD_RCPT, Messages.plain(SENDER, HOLD_RCPT, "held with eicar", Messages.EICAR));
        JsonNode item = awaitItem(HOLD_RCPT, id);
        assertEquals("e2e-held", item.path("area").asText(), "held by the rule, not by the antivirus: " + item);

        release(item.path("itemId").asText());

        JsonNode[] again = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            again[0] = items(HOLD_RCPT, id + ".r").stream().findFirst().orElse(null);
            return again[0] != null;
        });
        assertEquals("virus", again[0].path("area").asText(), again[0].toString());
        assertEquals("QUARANTINED", again[0].path("status").asText());
        assertEquals(List.of(HOLD_RCPT), JSON.convertValue(again[0].path("recipients"), List.class));
        assertTrue(again[0].path("reason").asText().contains("AV_TEST"), again[0].toString());
        assertTrue(again[0].path("itemId").asText().startsWith(id + ".r"), "a new item: " + again[0]);
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250))
                .until(() -> "RELEASED".equals(awaitItem(HOLD_RCPT, id).path("status").asText()));

        String rescanId = again[0].path("messageId").asText();
        JsonNode[] trace = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            trace[0] = tracking(rescanId);
            return trace[0] != null && "QUARANTINED".equals(trace[0].path("message").path("state").asText())
                    && trace[0].path("message").hasNonNull("action");
        });
        assertEquals("release-rescan", trace[0].path("message").path("ruleId").asText());
        assertTrue(symbols(trace[0]).containsAll(List.of("RELEASE_RESCAN", "AV_TEST")), symbols(trace[0]).toString());

        Thread.sleep(5_000);
        assertTrue(copies(HOLD_RCPT, id).isEmpty(), "never delivered: " + copies(HOLD_RCPT, id));
        assertFalse(pathTypes(tracking(rescanId)).contains("DELIVERED"));
        assertEquals(1, items(HOLD_RCPT, id + ".r").size(), "one new item, not one per duplicate");
    }
}
