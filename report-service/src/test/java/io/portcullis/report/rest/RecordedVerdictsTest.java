package io.portcullis.report.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.report.Events;
import io.portcullis.report.InMemoryKafkaResource;
import io.portcullis.report.messaging.DeliveryEventConsumer;
import io.portcullis.report.messaging.VerdictConsumer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What report-service records from verdicts for rule simulation, and {@code GET /api/v1/tracking/recorded}. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class RecordedVerdictsTest {
    private static final String RECORDED = "/api/v1/tracking/recorded";
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE report.message, report.message_event, report.message_decision");
        }
    }

    private boolean settle(String channel, byte[] payload) throws Exception {
        CompletableFuture<Boolean> settled = new CompletableFuture<>();
        connector.source(channel).send(Message.of(payload, () -> {
            settled.complete(true);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            settled.complete(false);
            return CompletableFuture.completedFuture(null);
        }));
        return settled.get(30, TimeUnit.SECONDS);
    }

    private static VerdictIssued verdict(String id, String tenant, Instant received, long size,
            List<Finding> findings, List<AttachmentMeta> attachments, List<String> matched) {
        return new VerdictIssued(id, tenant, received, received.plusSeconds(1),
                Events.envelope("alice@sender.example", "bob@example.com", "carol@example.com"),
                BodyRef.stored("portcullis-spool", "k/" + id, 100, "ab"), "<" + id + "@client>", "Invoice " + id,
                Action.QUARANTINE, "block-exe", false, true, 7.5, findings, Modifications.NONE, 42, Map.of(), size,
                attachments, matched, List.of());
    }

    private String stored(String column, String id) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + column + "::text FROM report.message WHERE message_id = '"
                        + id + "'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void consumerStoresFindingsSizeAttachmentsAndMatchedRulesWithoutFindingDetail() throws Exception {
        var v = verdict("q-full", "default", T, 123_456,
                List.of(new Finding("BAYES_SPAM", Category.SPAM, 5.5, "secret detail text"),
                        new Finding("BANNED_EXTENSION", Category.BLOCKED_ATTACHMENT, 0, "part/2")),
                List.of(new AttachmentMeta("part/2", "setup.exe", "application/x-dosexec", 4096),
                        new AttachmentMeta("part/3/zip:a.txt", null, "text/plain", 12)),
                List.of("tag-spam", "block-exe"));
        assertTrue(settle(VerdictConsumer.CHANNEL, EventJson.write(v)));

        given().queryParam("limit", "10").get(RECORDED).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].messageId", equalTo("q-full"))
                .body("[0].tenant", equalTo("default"))
                .body("[0].receivedAt", equalTo("2026-03-01T10:00:00Z"))
                .body("[0].scannedAt", equalTo("2026-03-01T10:00:01Z"))
                .body("[0].sender", equalTo("alice@sender.example"))
                .body("[0].recipients", contains("bob@example.com", "carol@example.com"))
                .body("[0].subject", equalTo("Invoice q-full"))
                .body("[0].size", equalTo(123456))
                .body("[0].findings.symbol", contains("BAYES_SPAM", "BANNED_EXTENSION"))
                .body("[0].findings.category", contains("SPAM", "BLOCKED_ATTACHMENT"))
                .body("[0].findings[0].score", equalTo(5.5f))
                .body("[0].attachments.filename", contains("setup.exe", null))
                .body("[0].attachments.trueType", contains("application/x-dosexec", "text/plain"))
                .body("[0].attachments.size", contains(4096, 12))
                .body("[0].attachments.path", contains("part/2", "part/3/zip:a.txt"))
                .body("[0].matchedRules", contains("tag-spam", "block-exe"))
                .body("[0].action", equalTo("QUARANTINE"))
                .body("[0].ruleId", equalTo("block-exe"))
                .body("[0].policyVersion", equalTo(42));
        assertFalse(stored("findings", "q-full").contains("secret detail"), "finding detail is not stored");

        // a re-delivered verdict leaves one row with the same details
        assertTrue(settle(VerdictConsumer.CHANNEL, EventJson.write(v)));
        given().get(RECORDED).then().body("$", hasSize(1)).body("[0].attachments", hasSize(2));
        // the tracking view of the message is unchanged
        given().get("/api/v1/tracking/q-full").then().statusCode(200)
                .body("message.action", equalTo("QUARANTINE"))
                .body("message.symbols", contains("BAYES_SPAM", "BANNED_EXTENSION"));
    }

    @Test
    void olderVerdictWithoutTheNewFieldsIsRecordedWithZeroSizeAndEmptyLists() throws Exception {
        // as the first releases wrote it: no messageSize, attachments, matchedRules, engineVersions
        String json = """
                {"messageId":"q-old","tenant":"default","receivedAt":"2026-03-01T10:00:00Z",
                 "scannedAt":"2026-03-01T10:00:01Z",
                 "envelope":{"mailFrom":"","recipients":["bob@example.com"],"heloName":"c","clientIp":"192.0.2.1",
                             "tls":false},
                 "subject":"old","action":"DELIVER","virus":false,"spam":false,"spamScore":1.0,
                 "findings":[{"symbol":"SPF_PASS","category":"INFO","score":0.0,"detail":"d"}],"policyVersion":3}
                """;
        assertTrue(settle(VerdictConsumer.CHANNEL, json.getBytes(StandardCharsets.UTF_8)));
        given().get(RECORDED).then().statusCode(200)
                .body("[0].messageId", equalTo("q-old"))
                .body("[0].sender", equalTo(""))
                .body("[0].size", equalTo(0))
                .body("[0].attachments", hasSize(0))
                .body("[0].matchedRules", hasSize(0))
                .body("[0].findings.symbol", contains("SPF_PASS"))
                .body("[0].ruleId", nullValue())
                .body("[0].policyVersion", equalTo(3));
    }

    @Test
    void newestFirstWithLimitAndTenantAndOnlyMessagesWithAVerdict() throws Exception {
        assertTrue(settle(VerdictConsumer.CHANNEL, EventJson.write(
                verdict("q-1", "default", T, 10, List.of(), List.of(), List.of()))));
        assertTrue(settle(VerdictConsumer.CHANNEL, EventJson.write(
                verdict("q-2", "other", T.plusSeconds(60), 10, List.of(), List.of(), List.of()))));
        assertTrue(settle(VerdictConsumer.CHANNEL, EventJson.write(
                verdict("q-3", "default", T.plusSeconds(120), 10, List.of(), List.of(), List.of()))));
        // known only from a delivery event: no verdict, nothing to simulate with
        assertTrue(settle(DeliveryEventConsumer.CHANNEL, EventJson.write(Events.delivery("q-no-verdict",
                T.plusSeconds(500), io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus.DELIVERED,
                "bob@example.com"))));

        given().get(RECORDED).then().body("messageId", contains("q-3", "q-2", "q-1"));
        given().queryParam("limit", "2").get(RECORDED).then().body("messageId", contains("q-3", "q-2"));
        given().queryParam("tenant", "default").get(RECORDED).then().body("messageId", contains("q-3", "q-1"));
        given().queryParam("tenant", "nobody").get(RECORDED).then().statusCode(200).body("$", hasSize(0));
        given().queryParam("limit", "10000").get(RECORDED).then().statusCode(200).body("$", hasSize(3));
        given().queryParam("limit", "1").get(RECORDED).then().statusCode(200).body("messageId", contains("q-3"));
    }

    @Test
    void badLimitOrTenantIs400NamingTheParameter() {
        for (String bad : List.of("0", "-1", "10001", "abc", "1.5", "99999999999")) {
            given().queryParam("limit", bad).get(RECORDED).then().statusCode(400).body("field", equalTo("limit"));
        }
        given().queryParam("tenant", "a\u0001b").get(RECORDED).then().statusCode(400)
                .body("field", equalTo("tenant"));
        given().queryParam("tenant", "x".repeat(65)).get(RECORDED).then().statusCode(400)
                .body("field", equalTo("tenant"));
    }

    @Test
    void hostileDetailsAreStoredCleanedAndNeverHoldTheRecord() throws Exception {
        var v = verdict("q-hostile", "default", T, -5,
                List.of(new Finding("NUL\u0000SYM", Category.SPAM, Double.NaN, null),
                        new Finding(null, Category.INFO, 0, null)),
                List.of(new AttachmentMeta("part/1", "bad\u0000name\uD800.exe", null, -1)),
                List.of("rule-a", ""));
        assertTrue(settle(VerdictConsumer.CHANNEL, EventJson.write(v)), "acked, not held or dead-lettered");
        given().get(RECORDED).then().statusCode(200)
                .body("[0].size", equalTo(0))
                .body("[0].findings", hasSize(1))
                .body("[0].findings[0].symbol", equalTo("NUL SYM"))
                .body("[0].findings[0].score", nullValue())
                .body("[0].attachments[0].filename", equalTo("bad name\uFFFD.exe"))
                .body("[0].attachments[0].size", equalTo(0))
                .body("[0].matchedRules", contains("rule-a"));
        assertEquals(1, given().get(RECORDED).then().extract().jsonPath().getList("$").size());
    }
}
