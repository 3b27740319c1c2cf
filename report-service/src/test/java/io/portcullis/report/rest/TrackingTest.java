package io.portcullis.report.rest;

import static io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus.DEFERRED;
import static io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus.DELIVERED;
import static io.portcullis.contracts.events.QuarantineEvent.Type.QUARANTINED;
import static io.portcullis.contracts.events.QuarantineEvent.Type.RELEASED;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.report.Events;
import io.portcullis.report.InMemoryKafkaResource;
import io.portcullis.report.messaging.DeliveryEventConsumer;
import io.portcullis.report.messaging.QuarantineEventConsumer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class TrackingTest {
    private static final String BASE = "/api/v1/tracking";
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

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

    /** Sends a record and returns whether it was acked (true), nacked (false) once settled. */
    private CompletableFuture<Boolean> send(String channel, byte[] payload) {
        CompletableFuture<Boolean> settled = new CompletableFuture<>();
        connector.source(channel).send(Message.of(payload, () -> {
            settled.complete(true);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            settled.complete(false);
            return CompletableFuture.completedFuture(null);
        }));
        return settled;
    }

    private boolean sendAndSettle(String channel, Object event) throws Exception {
        return send(channel, EventJson.write(event)).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void verdictThenDeliveredShowsThePathAndAckFollowsCommit() throws Exception {
        var verdict = Events.verdict("q-deliver", T, Action.DELIVER,
                Events.envelope("Alice@Sender.example", "bob@example.com", "carol@example.com"));
        AtomicReference<Long> rowsAtAck = new AtomicReference<>();
        CompletableFuture<Boolean> acked = new CompletableFuture<>();
        connector.source(VerdictConsumer.CHANNEL).send(Message.of(EventJson.write(verdict), () -> {
            try {
                rowsAtAck.set(count("SELECT count(*) FROM report.message WHERE message_id = 'q-deliver'"));
            } catch (Exception e) {
                rowsAtAck.set(-1L);
            }
            acked.complete(true);
            return CompletableFuture.completedFuture(null);
        }));
        assertTrue(acked.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1L, rowsAtAck.get(), "the row is committed before the record is acked");

        assertTrue(sendAndSettle(DeliveryEventConsumer.CHANNEL,
                Events.delivery("q-deliver", T.plusSeconds(5), DELIVERED, "bob@example.com", "carol@example.com")));

        given().get(BASE + "/q-deliver").then().statusCode(200)
                .body("message.state", equalTo("DELIVERED"))
                .body("message.action", equalTo("DELIVER"))
                .body("message.sender", equalTo("Alice@Sender.example"))
                .body("message.recipients", contains("bob@example.com", "carol@example.com"))
                .body("message.receivedAt", equalTo("2026-03-01T10:00:00Z"))
                .body("path.type", contains("RECEIVED", "SCANNED", "DELIVERED"))
                .body("path.at", contains("2026-03-01T10:00:00Z", "2026-03-01T10:00:01Z", "2026-03-01T10:00:05Z"))
                .body("path[1].detail", containsString("action=DELIVER"));
    }

    @Test
    void quarantineEventBeforeTheVerdictStillEndsQuarantined() throws Exception {
        var envelope = Events.envelope("eve@evil.example", "bob@example.com");
        assertTrue(sendAndSettle(QuarantineEventConsumer.CHANNEL,
                Events.quarantine("q-early", T.plusSeconds(2), QUARANTINED, envelope)));
        given().get(BASE + "/q-early").then().statusCode(200)
                .body("message.state", equalTo("QUARANTINED"))
                .body("message.action", nullValue())
                .body("message.sender", equalTo("eve@evil.example"));

        assertTrue(sendAndSettle(VerdictConsumer.CHANNEL, Events.verdict("q-early", T, Action.QUARANTINE, envelope,
                Events.finding("EICAR_TEST"))));
        given().get(BASE + "/q-early").then().statusCode(200)
                .body("message.state", equalTo("QUARANTINED"))
                .body("message.action", equalTo("QUARANTINE"))
                .body("message.symbols", contains("EICAR_TEST"))
                .body("path.type", contains("RECEIVED", "SCANNED", "QUARANTINED"))
                .body("path[1].detail", containsString("symbols=EICAR_TEST"));

        assertTrue(sendAndSettle(QuarantineEventConsumer.CHANNEL,
                Events.quarantine("q-early", T.plusSeconds(60), RELEASED, envelope)));
        given().get(BASE + "/q-early").then().body("message.state", equalTo("RELEASED"))
                .body("path.type", contains("RECEIVED", "SCANNED", "QUARANTINED", "RELEASED"));
    }

    @Test
    void duplicateRecordsAreNotDuplicated() throws Exception {
        var verdict = Events.verdict("q-dup", T, Action.DELIVER, Events.envelope("a@x.example", "b@example.com"));
        var deferred = Events.delivery("q-dup", T.plusSeconds(3), DEFERRED, "b@example.com");
        var delivered = Events.delivery("q-dup", T.plusSeconds(9), DELIVERED, "b@example.com");
        for (int i = 0; i < 2; i++) {
            assertTrue(sendAndSettle(VerdictConsumer.CHANNEL, verdict));
            assertTrue(sendAndSettle(DeliveryEventConsumer.CHANNEL, deferred));
            assertTrue(sendAndSettle(DeliveryEventConsumer.CHANNEL, delivered));
        }
        // an old deferral re-delivered after the delivery does not move the state back
        assertTrue(sendAndSettle(DeliveryEventConsumer.CHANNEL, deferred));
        assertEquals(1, count("SELECT count(*) FROM report.message WHERE message_id = 'q-dup'"));
        assertEquals(4, count("SELECT count(*) FROM report.message_event WHERE message_id = 'q-dup'"));
        given().get(BASE + "/q-dup").then().body("message.state", equalTo("DELIVERED"))
                .body("path.type", contains("RECEIVED", "SCANNED", "DEFERRED", "DELIVERED"));
    }

    @Test
    void malformedRecordIsNackedAndTheNextGoodOneIsProcessed() throws Exception {
        CompletableFuture<Boolean> garbage = send(VerdictConsumer.CHANNEL,
                "{not json".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Boolean> noId = send(DeliveryEventConsumer.CHANNEL,
                "{\"at\":\"2026-03-01T10:00:00Z\",\"status\":\"DELIVERED\"}".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Boolean> wrongType = send(QuarantineEventConsumer.CHANNEL,
                "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        assertFalse(garbage.get(30, java.util.concurrent.TimeUnit.SECONDS), "nacked: dead-letter topic in Kafka");
        assertFalse(noId.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(wrongType.get(30, java.util.concurrent.TimeUnit.SECONDS));

        assertTrue(sendAndSettle(VerdictConsumer.CHANNEL,
                Events.verdict("q-after-poison", T, Action.DELIVER, Events.envelope("a@x.example", "b@example.com"))));
        assertTrue(sendAndSettle(DeliveryEventConsumer.CHANNEL,
                Events.delivery("q-after-poison", T.plusSeconds(2), DELIVERED, "b@example.com")));
        assertTrue(sendAndSettle(QuarantineEventConsumer.CHANNEL,
                Events.quarantine("q-after-poison-2", T, QUARANTINED, null)));
        given().get(BASE + "/q-after-poison").then().statusCode(200).body("message.state", equalTo("DELIVERED"));
        given().get(BASE + "/q-after-poison-2").then().statusCode(200).body("message.state", equalTo("QUARANTINED"));
        assertEquals(2, count("SELECT count(*) FROM report.message"));
    }

    @Test
    void hostileTextIsStoredSafely() throws Exception {
        var verdict = new io.portcullis.contracts.events.VerdictIssued("q-hostile", "default", T, T.plusSeconds(1),
                Events.envelope("a@x.example", "b@example.com"), null, "<id>", "Hi\u0000there\r\nBcc: x@y",
                Action.DELIVER, null, false, false, 0, java.util.List.of(), null, 1);
        assertTrue(sendAndSettle(VerdictConsumer.CHANNEL, verdict));
        given().get(BASE + "/q-hostile").then().statusCode(200)
                .body("message.subject", equalTo("Hi there  Bcc: x@y"));
    }

    @Test
    void queryFiltersBySenderRecipientIdAndTimeNewestFirst() throws Exception {
        assertTrue(sendAndSettle(VerdictConsumer.CHANNEL, Events.verdict("q-a", T, Action.DELIVER,
                Events.envelope("alice@sender.example", "Bob@Example.com"))));
        assertTrue(sendAndSettle(VerdictConsumer.CHANNEL, Events.verdict("q-b", T.plusSeconds(60), Action.DELIVER,
                Events.envelope("ALICE@sender.example", "carol@example.com"))));
        assertTrue(sendAndSettle(VerdictConsumer.CHANNEL, Events.verdict("q-c", T.plusSeconds(120),
                Action.QUARANTINE, Events.envelope("mallory@evil.example", "bob@example.com", "dave@example.com"))));

        given().get(BASE).then().statusCode(200).body("messageId", contains("q-c", "q-b", "q-a"));
        given().queryParam("sender", "Alice@Sender.Example").get(BASE).then()
                .body("messageId", contains("q-b", "q-a"));
        given().queryParam("recipient", "BOB@example.com").get(BASE).then()
                .body("messageId", contains("q-c", "q-a"));
        given().queryParam("recipient", "bob@example").get(BASE).then().body("$", hasSize(0));
        given().queryParam("messageId", "q-b").get(BASE).then().body("messageId", contains("q-b"));
        given().queryParam("messageId", "<q-a@client>").get(BASE).then().body("messageId", contains("q-a"));
        given().queryParam("from", "2026-03-01T10:01:00Z").get(BASE).then().body("messageId", contains("q-c", "q-b"));
        given().queryParam("from", "2026-03-01T10:00:00Z").queryParam("to", "2026-03-01T10:01:00Z").get(BASE)
                .then().body("messageId", contains("q-a"));
        given().queryParam("limit", "1").get(BASE).then().body("messageId", contains("q-c"));
        given().queryParam("sender", "x' OR '1'='1").get(BASE).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void invalidParametersAre400NamingTheParameter() {
        given().queryParam("from", "last tuesday").get(BASE).then().statusCode(400).body("field", equalTo("from"));
        given().queryParam("to", "2026-02-30T00:00:00Z").get(BASE).then().statusCode(400).body("field", equalTo("to"));
        given().queryParam("from", "2026-03-02T00:00:00Z").queryParam("to", "2026-03-01T00:00:00Z").get(BASE)
                .then().statusCode(400).body("field", equalTo("to"));
        given().queryParam("limit", "1001").get(BASE).then().statusCode(400).body("field", equalTo("limit"));
        given().queryParam("limit", "-1").get(BASE).then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void unknownMessageIs404() {
        given().get(BASE + "/no-such-message").then().statusCode(404).body("field", equalTo("messageId"));
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().body("checks.name", org.hamcrest.Matchers.hasItem(
                containsString("Database")));
    }
}
