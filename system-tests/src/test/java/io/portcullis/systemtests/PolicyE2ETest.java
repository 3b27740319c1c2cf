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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policy rules end to end (issue 5): full-form rules created through policy-service's REST API, mail over real SMTP,
 * and the delivered (per recipient, in the development sink), changed or quarantined result checked. Every rule is
 * scoped to its own recipient address, so the other end-to-end tests never meet it; all are removed afterwards.
 */
class PolicyE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENDER = "policy-e2e@example.net";
    private static final List<String> CREATED = new ArrayList<>();
    private static final Stack stack = Stack.get();

    private static final String COND = "cond-e2e@example.com";
    private static final String[] CONDITION_TYPES = {"class", "symbol", "spam-score", "message-size",
        "recipient-count", "attachment-count", "attachment-name", "attachment-extension", "attachment-type",
        "attachment-size", "header", "keywords", "regex", "dictionary", "dlp", "time-of-day"};
    /** A small but real PDF (the true-type check reads the bytes). */
    private static final byte[] PDF = ("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
            + "/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);

    private static ObjectNode condition(String type) {
        ObjectNode c = JSON.createObjectNode().put("type", type);
        switch (type) {
            case "class" -> c.putArray("values").add("SPAM");
            case "symbol" -> c.putArray("values").add("GTUBE");
            case "spam-score" -> c.put("operator", ">=").put("threshold", 100);
            case "message-size" -> c.put("operator", ">").put("threshold", 100);
            case "recipient-count" -> c.put("operator", "==").put("threshold", 1);
            case "attachment-count" -> c.put("operator", ">=").put("threshold", 1);
            case "attachment-name" -> c.putArray("values").add("report-*.pdf");
            case "attachment-extension" -> c.putArray("values").add("pdf");
            case "attachment-type" -> c.putArray("values").add("application/pdf");
            case "attachment-size" -> c.put("operator", ">").put("threshold", 10);
            case "header" -> c.put("field", "X-Mailer").putArray("values").add("(?i)e2e-mailer");
            case "keywords" -> c.put("field", "subject").putArray("values").add("salary");
            case "regex" -> c.put("field", "body").putArray("values").add("codename is [A-Z]{4,}");
            case "dictionary" -> {
                c.put("threshold", 5);
                c.putArray("values").add("confidential=3").add("bluebird=3");
            }
            case "dlp" -> c.putArray("values").add("credit-card");
            case "time-of-day" -> c.putArray("values").add("Mon-Sun");
            default -> throw new IllegalArgumentException(type);
        }
        return c;
    }

    private static ObjectNode rule(String id, int priority, List<String> recipients, List<ObjectNode> conditions,
            ObjectNode... actions) {
        ObjectNode r = JSON.createObjectNode().put("id", id).put("name", "e2e " + id).put("priority", priority);
        ArrayNode rcpts = r.putObject("scope").putArray("recipients");
        recipients.forEach(rcpts::add);
        ArrayNode conds = r.putArray("conditions");
        conditions.forEach(conds::add);
        ArrayNode acts = r.putArray("actions");
        for (ObjectNode a : actions) {
            acts.add(a);
        }
        return r;
    }

    private static ObjectNode action(String type, String value, String... addresses) {
        ObjectNode a = JSON.createObjectNode().put("type", type);
        if (value != null) {
            a.put("value", value);
        }
        if (addresses.length > 0) {
            ArrayNode arr = a.putArray("addresses");
            for (String x : addresses) {
                arr.add(x);
            }
        }
        return a;
    }

    private static ObjectNode header(String name, String value) {
        ObjectNode a = JSON.createObjectNode().put("type", "add-header");
        a.putArray("headers").addObject().put("name", name).put("value", value);
        return a;
    }

    private static HttpResponse<String> create(ObjectNode rule) throws Exception {
        return stack.post("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules", "application/json",
                JSON.writeValueAsBytes(rule));
    }

    private static void install(ObjectNode rule) throws Exception {
        HttpResponse<String> r = create(rule);
        assertEquals(201, r.statusCode(), rule.path("id").asText() + ": " + r.body());
        CREATED.add(rule.path("id").asText());
    }

    /** Both scanners evaluate with a rule (its id shows in the scan API's matched rules for this recipient). */
    private static void awaitScanners(String rcpt, String ruleId) {
        byte[] probe = Messages.plain(SENDER, rcpt, "probe", "x");
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
        for (int i = 0; i < CONDITION_TYPES.length; i++) {
            String t = CONDITION_TYPES[i];
            install(rule("e2e-cond-" + t, 1 + i, List.of(COND), List.of(condition(t)), header("X-E2E-Cond", t)));
        }
        ObjectNode never = condition("keywords");
        ((ArrayNode) never.get("values")).removeAll().add("nowhere-in-this-message");
        install(rule("e2e-cond-never", 20, List.of(COND), List.of(never), header("X-E2E-Cond", "never")));
        ObjectNode hostile = JSON.createObjectNode().put("type", "header").put("field", "X-Hostile");
        hostile.putArray("values").add("(a*)*b").add("(a|aa)+$x");
        install(rule("e2e-cond-hostile", 21, List.of(COND), List.of(hostile), header("X-E2E-Cond", "hostile")));

        install(rule("e2e-strip", 5, List.of("strip-e2e@example.com"), List.of(condition("attachment-extension")),
                action("strip-attachments", "The PDF was removed by policy."), action("tag-subject", "[STRIPPED] ")));
        install(rule("e2e-bcc", 5, List.of("bcc-e2e@example.com"), List.of(),
                action("bcc", null, "audit-e2e@example.com")));
        install(rule("e2e-redirect", 5, List.of("redirect-e2e@example.com"), List.of(),
                action("redirect", null, "review-e2e@example.com")));
        install(rule("e2e-quarantine", 5, List.of("quarantine-e2e@example.com"), List.of(),
                action("quarantine", "e2e-area")));
        install(rule("e2e-delete", 5, List.of("delete-e2e@example.com"), List.of(), action("delete", null)));
        install(rule("e2e-notify", 5, List.of("notify-e2e@example.com"), List.of(),
                action("notify", null, "notice-e2e@example.com")));
        ObjectNode reject = rule("e2e-reject", 0, List.of("reject-e2e@example.com"), List.of(),
                action("reject", "Refused by the e2e policy"));
        ((ArrayNode) reject.with("scope").putArray("senders")).add("rejectme-e2e.test");
        install(reject);

        // both scanners evaluate with the new rules before any mail is sent
        awaitScanners(COND, "e2e-cond-time-of-day");
    }

    @AfterAll
    static void removeRules() {
        for (String id : CREATED) {
            stack.delete("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules/" + id);
        }
    }

    private static String send(List<String> rcpts, byte[] message) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send(SENDER, rcpts, message);
            assertEquals(250, r.code(), r.text());
            assertNotNull(r.queueId(), r.toString());
            return r.queueId();
        }
    }

    private static String awaitCopy(String rcpt, String id) throws Exception {
        Path file = stack.sinkFile(rcpt, id);
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200)).until(() -> Files.exists(file));
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static JsonNode awaitState(String id, String state) {
        JsonNode[] t = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            t[0] = stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id);
            return t[0] != null && state.equals(t[0].path("message").path("state").asText());
        });
        return t[0];
    }

    private static byte[] conditionMail() {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(PDF);
        return Messages.crlf("From: <" + SENDER + ">\nTo: <" + COND + ">\nSubject: Quarterly salary report\n"
                + "Message-ID: <" + System.nanoTime() + "@test.portcullis>\nX-Mailer: E2E-Mailer 1.0\n"
                + "X-Hostile: " + "a".repeat(5000) + "\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\n"
                + "This is confidential. The codename is BLUEBIRD. Card 4111 1111 1111 1111.\n" + Messages.GTUBE
                + "\n--b1\nContent-Type: application/octet-stream; name=\"report-q3.pdf\"\n"
                + "Content-Disposition: attachment; filename=\"report-q3.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + b64 + "\n--b1--\n");
    }

    @Test
    void everyConditionTypeHoldsOnRealMailAndAFalseOneDoesNot() throws Exception {
        String id = send(List.of(COND), conditionMail());
        String delivered = awaitCopy(COND, id);
        List<String> marks = delivered.lines().filter(l -> l.startsWith("X-E2E-Cond: "))
                .map(l -> l.substring("X-E2E-Cond: ".length()).strip()).toList();
        for (String t : CONDITION_TYPES) {
            assertTrue(marks.contains(t), "condition " + t + " held: " + marks);
        }
        assertFalse(marks.contains("never"), "a keyword that is not there does not hold");
        assertFalse(marks.contains("hostile"), "backtracking patterns on a 5,000-character header: no match, no stall");
        assertTrue(delivered.contains("Subject: [SPAM] Quarterly salary report"), "then the seeded spam rule decides");
        JsonNode t = awaitState(id, "DELIVERED");
        assertTrue(t.path("message").path("symbols").toString().contains("DLP_CREDIT_CARD"), t.toString());
        assertFalse(t.toString().contains("4111 1111 1111 1111"), "the card number is never recorded whole");
    }

    @Test
    void stripRemovesTheAttachmentAndLeavesANoticeAndTheTag() throws Exception {
        String rcpt = "strip-e2e@example.com";
        String id = send(List.of(rcpt), Messages.withAttachment(SENDER, rcpt, "figures", "report-q3.pdf", PDF,
                "application/pdf"));
        String delivered = awaitCopy(rcpt, id);
        assertTrue(delivered.contains("Subject: [STRIPPED] figures"), delivered);
        assertTrue(delivered.contains("The PDF was removed by policy."), "the notice is there");
        assertFalse(delivered.contains(Base64.getEncoder().encodeToString(PDF).substring(0, 40)), "the PDF is gone");
        assertTrue(delivered.contains("see attachment"), "the text part stays");
    }

    @Test
    void bccCopyArrivesAndTheRecipientStillGetsTheMessage() throws Exception {
        String id = send(List.of("bcc-e2e@example.com"), Messages.plain(SENDER, "bcc-e2e@example.com", "bcc", "x"));
        awaitCopy("bcc-e2e@example.com", id);
        assertTrue(awaitCopy("audit-e2e@example.com", id).contains("Subject: bcc"));
    }

    @Test
    void redirectGoesToTheNewRecipientOnly() throws Exception {
        String id = send(List.of("redirect-e2e@example.com"),
                Messages.plain(SENDER, "redirect-e2e@example.com", "redirect", "x"));
        awaitCopy("review-e2e@example.com", id);
        awaitState(id, "DELIVERED");
        assertFalse(Files.exists(stack.sinkFile("redirect-e2e@example.com", id)), "not to the original recipient");
    }

    @Test
    void quarantineIntoANamedAreaAndDeleteAndASplitMessage() throws Exception {
        String id = send(List.of("quarantine-e2e@example.com", "delete-e2e@example.com", "bcc-e2e@example.com"),
                Messages.plain(SENDER, "quarantine-e2e@example.com", "split", "x"));
        awaitCopy("bcc-e2e@example.com", id);
        awaitCopy("audit-e2e@example.com", id);
        JsonNode[] items = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            items[0] = stack.getJson("PORTCULLIS_QUARANTINE_URL",
                    "/api/v1/quarantine?recipient=quarantine-e2e@example.com&limit=50");
            return items[0] != null && items[0].toString().contains(id);
        });
        JsonNode item = null;
        for (JsonNode i : items[0].path("items")) {
            if (i.path("messageId").asText().equals(id)) {
                item = i;
            }
        }
        assertNotNull(item, items[0].toString());
        assertEquals("e2e-area", item.path("area").asText());
        assertEquals(List.of("quarantine-e2e@example.com"), JSON.convertValue(item.path("recipients"), List.class));
        assertFalse(Files.exists(stack.sinkFile("quarantine-e2e@example.com", id)));
        assertFalse(Files.exists(stack.sinkFile("delete-e2e@example.com", id)), "the deleted group got nothing");
    }

    @Test
    void notifyTellsTheNamedAddressAndTheMessageIsStillDelivered() throws Exception {
        String id = send(List.of("notify-e2e@example.com"),
                Messages.plain(SENDER, "notify-e2e@example.com", "notify me", "x"));
        awaitCopy("notify-e2e@example.com", id);
        Path dir = stack.sinkDir().resolve("rcpt").resolve("notice-e2e@example.com");
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> noticeFor(dir, id) != null);
        String notice = noticeFor(dir, id);
        assertTrue(notice.contains("X-Portcullis-Notification"), notice);
    }

    private static String noticeFor(Path dir, String id) throws Exception {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String s = Files.readString(f, StandardCharsets.ISO_8859_1);
                if (s.contains(id)) {
                    return s;
                }
            }
        }
        return null;
    }

    @Test
    void deferredMailArrivesOnlyOnceItsWindowOpens() throws Exception {
        String rcpt = "defer-e2e@example.com";
        // a window opening at a full minute at least 25 s away, so the mail is surely sent before it opens
        ZonedDateTime opens = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(85).withSecond(0).withNano(0);
        DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm");
        install(rule("e2e-defer", 5, List.of(rcpt), List.of(),
                action("defer", hm.format(opens) + "-" + hm.format(opens.plusMinutes(10)) + " UTC")));
        awaitScanners(rcpt, "e2e-defer");
        String id = send(List.of(rcpt), Messages.plain(SENDER, rcpt, "later", "x"));
        assertTrue(ZonedDateTime.now(ZoneOffset.UTC).isBefore(opens), "sent before the window opens");
        awaitState(id, "DEFERRED");
        assertFalse(Files.exists(stack.sinkFile(rcpt, id)), "not delivered before " + opens);
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.exists(stack.sinkFile(rcpt, id)));
        JsonNode trace = awaitState(id, "DELIVERED");
        java.time.Instant deliveredAt = null;
        for (JsonNode step : trace.path("path")) {
            if (step.path("type").asText().equals("DELIVERED")) {
                deliveredAt = java.time.Instant.parse(step.path("at").asText());
            }
        }
        assertNotNull(deliveredAt, trace.toString());
        assertFalse(deliveredAt.isBefore(opens.toInstant()), "delivered at " + deliveredAt + ", window opens " + opens);
    }

    @Test
    void aRejectRuleThatDecidesFromTheEnvelopeRefusesAtRcptOnBothEdges() throws Exception {
        for (String port : List.of("PORTCULLIS_SMTP_PORT", "PORTCULLIS_SMTP_PORT_2")) {
            Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                try (SmtpClient c = SmtpClient.connect("127.0.0.1", Integer.parseInt(stack.value(port)))) {
                    c.greeting();
                    c.command("EHLO e2e.test");
                    c.command("MAIL FROM:<x@rejectme-e2e.test>");
                    SmtpClient.Reply r = c.command("RCPT TO:<reject-e2e@example.com>");
                    return r.code() == 550 && r.text().contains("5.7.1 Refused by the e2e policy");
                }
            });
        }
        try (SmtpClient c = stack.smtp()) {
            c.command("MAIL FROM:<x@rejectme-e2e.test>");
            assertEquals(250, c.command("RCPT TO:<bcc-e2e@example.com>").code(), "other recipients are accepted");
            c.command("RSET");
            c.command("MAIL FROM:<x@friend-e2e.test>");
            assertEquals(250, c.command("RCPT TO:<reject-e2e@example.com>").code(), "other senders are accepted");
        }
    }

    @Test
    void invalidRulesAreRefusedNamingTheField() throws Exception {
        ObjectNode badRegex = condition("regex");
        ((ArrayNode) badRegex.get("values")).removeAll().add("(unclosed");
        HttpResponse<String> r = create(rule("e2e-bad", 5, List.of(COND), List.of(badRegex), header("X-A", "b")));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("conditions[0].values[0]", JSON.readTree(r.body()).path("field").asText(), r.body());
        ObjectNode badOp = condition("message-size").put("operator", "~");
        r = create(rule("e2e-bad", 5, List.of(COND), List.of(badOp), header("X-A", "b")));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("conditions[0].operator", JSON.readTree(r.body()).path("field").asText(), r.body());
        r = create(rule("e2e-bad", 5, List.of(COND), List.of(), action("deliver", null), action("delete", null)));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("actions[1].type", JSON.readTree(r.body()).path("field").asText(), r.body());
        assertEquals(null, stack.getJson("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules/e2e-bad"),
                "nothing was created");
    }
}
