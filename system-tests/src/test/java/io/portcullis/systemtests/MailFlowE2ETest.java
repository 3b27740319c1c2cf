package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import io.portcullis.systemtests.trace.TraceQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Mail through the whole real pipeline: SMTP → Kafka → scanner → delivery to the sink, or quarantine in S3. */
class MailFlowE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);

    private final Stack stack = Stack.get();

    private String send(byte[] message) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send("sender@example.net", List.of("user@example.com"), message);
            assertEquals(250, r.code(), r.text());
            assertNotNull(r.queueId(), "250 carries the queue id: " + r);
            return r.queueId();
        }
    }

    private String awaitDelivered(String id) throws Exception {
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(stack.sinkFile(id)));
        return Files.readString(stack.sinkFile(id), StandardCharsets.UTF_8);
    }

    private JsonNode awaitTracking(String id, String state) {
        JsonNode[] t = new JsonNode[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            t[0] = stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id);
            // Verdict and delivery events come on different topics: wait until both are recorded.
            return t[0] != null && state.equals(t[0].path("message").path("state").asText())
                    && t[0].path("message").hasNonNull("action");
        });
        return t[0];
    }

    private static List<String> pathTypes(JsonNode trace) {
        List<String> types = new ArrayList<>();
        trace.path("path").forEach(step -> types.add(step.path("type").asText()));
        return types;
    }

    @Test
    void cleanMailReachesTheSinkWithAReceivedHeaderAndIsTracked() throws Exception {
        String id = send(Messages.plain("sender@example.net", "user@example.com", "hello", "a clean message"));
        String delivered = awaitDelivered(id);
        assertTrue(delivered.startsWith("Received: ") || delivered.contains("\r\nReceived: from e2e.test"),
                "Received header first: " + delivered.substring(0, Math.min(300, delivered.length())));
        assertTrue(delivered.contains("from e2e.test"), "Received names the HELO");
        assertTrue(delivered.contains(id), "Received/queue id header carries the queue id");
        assertTrue(delivered.contains("a clean message"));
        JsonNode trace = awaitTracking(id, "DELIVERED");
        assertEquals("deliver", trace.path("message").path("action").asText().toLowerCase());
        assertTrue(pathTypes(trace).containsAll(List.of("RECEIVED", "SCANNED", "DELIVERED")), pathTypes(trace).toString());
        assertOneTraceFromSmtpToDelivery(id);
    }

    /**
     * One trace: the SMTP transaction's span is a root, and the scanner's and delivery's spans share its trace id.
     * (Other traces may mention the id too, such as this test's own tracking lookups; they are not the pipeline.)
     */
    private void assertOneTraceFromSmtpToDelivery(String id) {
        Path file = Path.of(stack.value("PORTCULLIS_TRACE_FILE"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<JsonNode> spans = TraceQuery.spansOfMessage(TraceQuery.read(file), id);
            List<JsonNode> roots = spans.stream().filter(s -> s.get("name").asText().equals("smtp transaction"))
                    .toList();
            assertEquals(1, roots.size(), "one SMTP transaction span for " + id);
            JsonNode root = roots.get(0);
            assertEquals("", root.get("parentSpanId").asText(), "the SMTP transaction starts the trace");
            String traceId = root.get("traceId").asText();
            Set<String> where = spans.stream().filter(s -> s.get("traceId").asText().equals(traceId))
                    .map(s -> s.get("service").asText() + ":" + s.get("name").asText()).collect(Collectors.toSet());
            assertTrue(where.contains("scanner-service:ScanService.scan"), where.toString());
            assertTrue(where.contains("edge-smtp:portcullis.delivery.deliver"), where.toString());
            assertTrue(where.stream().anyMatch(w -> w.startsWith("report-service:")), where.toString());
        });
    }

    @Test
    void largeMailGoesThroughTheS3SpoolAndIsDeliveredIntact() throws Exception {
        byte[] big = Messages.ofSize("sender@example.net", "user@example.com", "large", 1_500_000);
        String id = send(big);
        String delivered = awaitDelivered(id);
        String original = new String(big, StandardCharsets.UTF_8);
        String body = original.substring(original.indexOf("\r\n\r\n"));
        assertTrue(delivered.endsWith(body), "the body arrives byte for byte");
    }

    @Test
    void eicarAsPlainTextAsBase64AttachmentAndInsideAZipIsQuarantined() throws Exception {
        byte[] eicar = Messages.EICAR.getBytes(StandardCharsets.US_ASCII);
        List<String> ids = List.of(
                send(Messages.plain("sender@example.net", "user@example.com", "eicar plain", Messages.EICAR)),
                send(Messages.withAttachment("sender@example.net", "user@example.com", "eicar attached", "eicar.txt",
                        eicar, "text/plain")),
                send(Messages.withAttachment("sender@example.net", "user@example.com", "eicar zipped", "eicar.zip",
                        Messages.zip("inner/eicar.txt", eicar), "application/zip")));
        for (String id : ids) {
            assertQuarantined(id, "AV_TEST");
        }
    }

    @Test
    void gtubeGetsTheSpamActionTaggedSubjectAndHeader() throws Exception {
        String id = send(Messages.plain("sender@example.net", "user@example.com", "buy now", "spam " + Messages.GTUBE));
        String delivered = awaitDelivered(id);
        assertTrue(delivered.contains("\r\nSubject: [SPAM] buy now\r\n") || delivered.startsWith("Subject: [SPAM] buy now"),
                "tagged subject");
        assertTrue(delivered.contains("X-Portcullis-Spam: yes"), "spam header");
        JsonNode trace = awaitTracking(id, "DELIVERED");
        assertEquals("tag", trace.path("message").path("action").asText().toLowerCase());
        assertTrue(trace.path("message").path("spam").asBoolean());
    }

    @Test
    void exeAttachmentIsQuarantined() throws Exception {
        byte[] mz = new byte[512];
        mz[0] = 'M';
        mz[1] = 'Z';
        String id = send(Messages.withAttachment("sender@example.net", "user@example.com", "invoice", "invoice.pdf.exe",
                mz, "application/octet-stream"));
        assertQuarantined(id, "BANNED_EXTENSION");
    }

    @Test
    void releasedVirusIsRescannedAndNotDelivered() throws Exception {
        // every release is rescanned (ADR 0010): EICAR released is still EICAR. Deliveries of releases: ReleaseE2ETest
        String id = send(Messages.plain("sender@example.net", "user@example.com", "release me", Messages.EICAR));
        assertQuarantined(id, "AV_TEST");
        var r = stack.post("PORTCULLIS_QUARANTINE_URL", "/api/v1/quarantine/" + id + "/release", "application/json",
                new byte[0]);
        assertEquals(202, r.statusCode(), r.body());
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> pathTypes(
                stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id)).contains("RELEASED"));
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode page = stack.getJson("PORTCULLIS_QUARANTINE_URL", "/api/v1/quarantine?recipient=user@example.com"
                    + "&limit=200");
            return page != null && page.toString().contains("\"" + id + ".r");
        });
        assertFalse(Files.exists(stack.sinkFile(id)), "a released virus is not delivered");
    }

    /** The object is in S3, the row in PostgreSQL, tracking shows the path, and nothing reached the sink. */
    private void assertQuarantined(String id, String symbol) throws Exception {
        JsonNode trace = awaitTracking(id, "QUARANTINED");
        assertEquals("quarantine", trace.path("message").path("action").asText().toLowerCase());
        List<String> symbols = new ArrayList<>();
        trace.path("message").path("symbols").forEach(s -> symbols.add(s.asText()));
        assertTrue(symbols.contains(symbol), symbol + " in " + symbols);
        assertTrue(pathTypes(trace).containsAll(List.of("RECEIVED", "SCANNED", "QUARANTINED")), pathTypes(trace).toString());

        String bucket;
        String key;
        try (Connection db = DriverManager.getConnection(stack.value("PORTCULLIS_DB_URL"), "portcullis", "portcullis");
                PreparedStatement q = db.prepareStatement(
                        "select bucket, object_key, status from quarantine.quarantined_message where message_id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), "quarantine row for " + id);
                bucket = rs.getString(1);
                key = rs.getString(2);
                assertEquals("QUARANTINED", rs.getString(3));
            }
        }
        MinioClient s3 = MinioClient.builder().endpoint(stack.value("PORTCULLIS_S3_ENDPOINT"))
                .credentials("portcullis", "portcullis-secret").build();
        StatObjectResponse stat = s3.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
        assertTrue(stat.size() > 0, "object in S3");
        assertFalse(Files.exists(stack.sinkFile(id)), "a quarantined message is not delivered");
    }
}
