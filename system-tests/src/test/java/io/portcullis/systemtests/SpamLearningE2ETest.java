package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Learning from feedback on the real stack with two scanners: a "this is spam" report and a release from quarantine
 * go over Kafka to the one spam learner in policy-service, and both scanners end up scoring similar mail the same,
 * changed way (same learned sequence in their Bayes version).
 */
class SpamLearningE2ETest {
    private static final Duration LEARNED = Duration.ofSeconds(90);
    private final Stack stack = Stack.get();
    private final ObjectMapper json = new ObjectMapper();

    /** Words no model has seen: the message's Bayes probability moves only through what is learned here. */
    private static String unseenWords(int n) {
        StringBuilder sb = new StringBuilder();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            sb.append(i % 12 == 11 ? ".\n" : " ").append("zq");
            for (int j = 0; j < 7; j++) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static byte[] message(String subject, String text) {
        return Messages.plain("someone@partner.test", "user@example.com", subject, text);
    }

    private record Bayes(double p, String version) {
    }

    /** The Bayes probability and model version one scanner gives the message. */
    private Bayes bayes(String scannerKey, byte[] message) throws Exception {
        HttpResponse<String> r = stack.post(scannerKey, "/api/v1/scan", "message/rfc822", message);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode verdict = json.readTree(r.body());
        for (JsonNode f : verdict.path("findings")) {
            String detail = f.path("detail").asText();
            if (f.path("symbol").asText().startsWith("BAYES_") && detail.startsWith("p=")) {
                int end = detail.indexOf(' ');
                return new Bayes(Double.parseDouble(detail.substring(2, end < 0 ? detail.length() : end)),
                        verdict.path("engineVersions").path("bayes").asText());
            }
        }
        throw new AssertionError("no BAYES finding in " + r.body());
    }

    private static long sequence(Bayes b) {
        int plus = b.version().lastIndexOf('+');
        return plus < 0 ? 0 : Long.parseLong(b.version().substring(plus + 1));
    }

    @Test
    void aSpamReportRaisesTheScoreOfSimilarMailOnEveryScanner() throws Exception {
        String words = unseenWords(60);
        byte[] probe = message("quarterly figures", "Hello,\n" + words + "\nregards\n");
        Bayes before1 = bayes("PORTCULLIS_SCANNER_URL", probe);
        Bayes before2 = bayes("PORTCULLIS_SCANNER_URL_2", probe);
        assertEquals(before1, before2, "both scanners start from the same model");

        byte[] reported = message("figures for the quarter", "Hi there\n" + words + "\nbye\n");
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/spam/feedback?label=spam",
                "message/rfc822", reported);
        assertEquals(202, r.statusCode(), r.body());
        // the same report again (same message id) is learned once
        String messageId = json.readTree(r.body()).path("messageId").asText();
        assertNotNull(messageId);
        HttpResponse<String> again = stack.post("PORTCULLIS_POLICY_URL",
                "/api/v1/spam/feedback?label=spam&messageId=" + messageId, "message/rfc822", reported);
        assertEquals(202, again.statusCode(), again.body());

        Bayes[] after = new Bayes[2];
        Awaitility.await().atMost(LEARNED).pollInterval(Duration.ofMillis(500)).until(() -> {
            after[0] = bayes("PORTCULLIS_SCANNER_URL", probe);
            after[1] = bayes("PORTCULLIS_SCANNER_URL_2", probe);
            return after[0].p() > before1.p() + 0.2 && after[0].equals(after[1]);
        });
        assertEquals(sequence(before1) + 1, sequence(after[0]),
                "one report learned once: " + before1.version() + " -> " + after[0].version());
    }

    @Test
    void releasingAQuarantinedMessageLowersTheScoreOfSimilarMailOnEveryScanner() throws Exception {
        String words = unseenWords(60);
        byte[] probe = message("project notes", "Dear team,\n" + words + "\nthanks\n");
        Bayes before1 = bayes("PORTCULLIS_SCANNER_URL", probe);
        assertEquals(before1, bayes("PORTCULLIS_SCANNER_URL_2", probe));

        byte[] mz = new byte[64];
        mz[0] = 'M';
        mz[1] = 'Z';
        String held = new String(Messages.withAttachment("someone@partner.test", "user@example.com", "notes",
                "tool.exe", mz, "application/octet-stream"), StandardCharsets.US_ASCII)
                .replace("see attachment", "Dear team,\r\n" + words.replace("\n", "\r\n") + "\r\nthanks");
        String id;
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply reply = c.send("someone@partner.test", List.of("user@example.com"),
                    held.getBytes(StandardCharsets.US_ASCII));
            assertEquals(250, reply.code(), reply.text());
            id = reply.queueId();
        }
        Awaitility.await().atMost(LEARNED).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode t = stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id);
            return t != null && "QUARANTINED".equals(t.path("message").path("state").asText());
        });
        HttpResponse<String> r = stack.post("PORTCULLIS_QUARANTINE_URL", "/api/v1/quarantine/" + id + "/release",
                "application/json", new byte[0]);
        assertEquals(202, r.statusCode(), r.body());

        Bayes[] after = new Bayes[2];
        Awaitility.await().atMost(LEARNED).pollInterval(Duration.ofMillis(500)).until(() -> {
            after[0] = bayes("PORTCULLIS_SCANNER_URL", probe);
            after[1] = bayes("PORTCULLIS_SCANNER_URL_2", probe);
            return after[0].p() < before1.p() - 0.2 && after[0].equals(after[1]);
        });
        List<String> versions = new ArrayList<>(List.of(before1.version(), after[0].version()));
        assertTrue(sequence(after[0]) > sequence(before1), versions.toString());
    }
}
