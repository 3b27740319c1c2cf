package io.portcullis.report.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.DeliveryKind;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-recipient decisions, delivery kinds and quarantine items in message tracking; old events still work. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class RecipientDecisionsTest {
    private static final String BASE = "/api/v1/tracking";
    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

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

    private boolean send(String channel, byte[] payload) throws Exception {
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

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** bob: delivered with a BCC to audit; carol: legal hold; dave: virus quarantine (default area); erin: deleted. */
    private static VerdictIssued split(String id) {
        Instant window = Instant.parse("2026-03-02T18:00:00Z");
        List<RecipientDecision> groups = List.of(
                new RecipientDecision(List.of("bob@example.com"), Action.DELIVER, "tag-external",
                        new Modifications("[EXT] ", List.of()), null, List.of(), window, List.of("audit@example.com"),
                        List.of(), List.of("tag-external")),
                new RecipientDecision(List.of("carol@example.com"), Action.QUARANTINE, "legal-hold", null, "legal",
                        null, null, null, null, List.of("tag-external", "legal-hold")),
                new RecipientDecision(List.of("dave@example.com"), Action.QUARANTINE, "block-virus", null, null, null,
                        null, null, null, List.of("block-virus")),
                new RecipientDecision(List.of("erin@example.com", "frank@example.com"), Action.DELETE, "drop-exe",
                        null, null, List.of("ignored@example.com"), null, null, null, List.of("drop-exe")));
        return new VerdictIssued(id, "default", T, T.plusSeconds(1),
                Events.envelope("alice@sender.example", "bob@example.com", "carol@example.com", "dave@example.com",
                        "erin@example.com", "frank@example.com"),
                BodyRef.stored("portcullis-spool", "2026/03/02/" + id + ".eml", 100, "ab"), null, "split",
                Action.DELIVER, "tag-external", false, false, 0, List.of(), groups.get(0).modifications(), 7,
                Map.of(), 100, List.of(), List.of("tag-external", "legal-hold", "block-virus", "drop-exe"), groups);
    }

    @Test
    void aSplitMessageShowsEachRecipientsActionAndRule() throws Exception {
        assertTrue(send(VerdictConsumer.CHANNEL, EventJson.write(split("q-split"))));

        given().get(BASE + "/q-split").then().statusCode(200)
                .body("decisions.recipient", contains("bob@example.com", "carol@example.com", "dave@example.com",
                        "erin@example.com", "frank@example.com"))
                .body("decisions.action", contains("DELIVER", "QUARANTINE", "QUARANTINE", "DELETE", "DELETE"))
                .body("decisions.ruleId", contains("tag-external", "legal-hold", "block-virus", "drop-exe",
                        "drop-exe"))
                .body("decisions.group", contains(1, 2, 3, 4, 4))
                .body("decisions.quarantineArea", contains(null, "legal", null, null, null))
                .body("decisions[0].bcc", contains("audit@example.com"))
                .body("decisions[0].deferUntil", equalTo("2026-03-02T18:00:00Z"))
                .body("decisions[1].matchedRules", contains("tag-external", "legal-hold"))
                .body("decisions[3].redirectTo", contains("ignored@example.com"))
                .body("decisions[2].bcc", empty());
    }

    @Test
    void aReDeliveredOrNewerVerdictLeavesOneSetOfDecisions() throws Exception {
        VerdictIssued v = split("q-split-dup");
        assertTrue(send(VerdictConsumer.CHANNEL, EventJson.write(v)));
        assertTrue(send(VerdictConsumer.CHANNEL, EventJson.write(v)));
        assertEquals(4, count("SELECT count(*) FROM report.message_decision WHERE message_id = 'q-split-dup'"));
        given().get(BASE + "/q-split-dup").then().body("decisions", hasSize(5));
    }

    @Test
    void theBccCopyAndEachQuarantineItemAreTheirOwnStepsEvenAtTheSameInstant() throws Exception {
        String id = "q-split-path";
        assertTrue(send(VerdictConsumer.CHANNEL, EventJson.write(split(id))));
        Instant at = T.plusSeconds(5);
        assertTrue(send(DeliveryEventConsumer.CHANNEL, EventJson.write(new DeliveryEvent(id, "default", at,
                DeliveryStatus.DELIVERED, List.of("bob@example.com"), 1, "mx:25", "250 ok", DeliveryKind.MESSAGE))));
        assertTrue(send(DeliveryEventConsumer.CHANNEL, EventJson.write(new DeliveryEvent(id, "default", at,
                DeliveryStatus.DELIVERED, List.of("audit@example.com"), 1, "mx:25", "bcc copy: 250 ok",
                DeliveryKind.BCC_COPY))));
        QuarantineEvent carol = new QuarantineEvent(id, "default", at, QuarantineEvent.Type.QUARANTINED,
                Events.envelope("alice@sender.example", "carol@example.com"), null, "rule=legal-hold", "system", id,
                "legal");
        QuarantineEvent dave = new QuarantineEvent(id, "default", at, QuarantineEvent.Type.QUARANTINED,
                Events.envelope("alice@sender.example", "dave@example.com"), null, "rule=block-virus", "system",
                id + ".q2", "virus");
        assertTrue(send(QuarantineEventConsumer.CHANNEL, EventJson.write(carol)));
        assertTrue(send(QuarantineEventConsumer.CHANNEL, EventJson.write(dave)));
        // re-delivered: no new step
        assertTrue(send(QuarantineEventConsumer.CHANNEL, EventJson.write(dave)));
        assertTrue(send(DeliveryEventConsumer.CHANNEL, EventJson.write(new DeliveryEvent(id, "default", at,
                DeliveryStatus.DELIVERED, List.of("audit@example.com"), 1, "mx:25", "bcc copy: 250 ok",
                DeliveryKind.BCC_COPY))));
        Instant later = T.plusSeconds(60);
        assertTrue(send(QuarantineEventConsumer.CHANNEL, EventJson.write(new QuarantineEvent(id, "default", later,
                QuarantineEvent.Type.RELEASED, dave.envelope(), null, null, "admin", id + ".q2", "virus"))));
        assertTrue(send(DeliveryEventConsumer.CHANNEL, EventJson.write(new DeliveryEvent(id, "default",
                later.plusSeconds(1), DeliveryStatus.DELIVERED, List.of("dave@example.com"), 1, "mx:25", "250 ok",
                DeliveryKind.RELEASE))));

        assertEquals(8, count("SELECT count(*) FROM report.message_event WHERE message_id = '" + id + "'"));
        given().get(BASE + "/" + id).then().statusCode(200)
                .body("path.type", contains("RECEIVED", "SCANNED", "DELIVERED", "DELIVERED", "QUARANTINED",
                        "QUARANTINED", "RELEASED", "DELIVERED"))
                .body("path.kind", contains(null, null, "MESSAGE", "BCC_COPY", null, null, null, "RELEASE"))
                .body("path.itemId", contains(null, null, null, null, id, id + ".q2", id + ".q2", null))
                .body("path.area", contains(null, null, null, null, "legal", "virus", "virus", null))
                .body("message.state", equalTo("DELIVERED"));
    }

    @Test
    void eventsOfTheFirstReleasesWithoutTheNewFieldsStillWork() throws Exception {
        String verdict = "{\"messageId\":\"q-old\",\"tenant\":\"default\",\"receivedAt\":\"2026-03-02T10:00:00Z\","
                + "\"scannedAt\":\"2026-03-02T10:00:01Z\",\"envelope\":{\"mailFrom\":\"a@x.example\","
                + "\"recipients\":[\"b@example.com\",\"c@example.com\"],\"helo\":\"h\",\"clientIp\":\"192.0.2.1\","
                + "\"tls\":false},\"action\":\"QUARANTINE\",\"ruleId\":\"block-virus\",\"virus\":true,"
                + "\"policyVersion\":2}";
        String quarantined = "{\"messageId\":\"q-old\",\"tenant\":\"default\",\"at\":\"2026-03-02T10:00:02Z\","
                + "\"type\":\"QUARANTINED\",\"reason\":\"rule=block-virus\",\"actor\":\"system\"}";
        String delivered = "{\"messageId\":\"q-old\",\"tenant\":\"default\",\"at\":\"2026-03-02T10:05:00Z\","
                + "\"status\":\"DELIVERED\",\"recipients\":[\"b@example.com\"],\"attempt\":1,"
                + "\"nextHop\":\"mx:25\",\"reply\":\"250 ok\"}";
        assertTrue(send(VerdictConsumer.CHANNEL, verdict.getBytes(StandardCharsets.UTF_8)));
        assertTrue(send(QuarantineEventConsumer.CHANNEL, quarantined.getBytes(StandardCharsets.UTF_8)));
        assertTrue(send(DeliveryEventConsumer.CHANNEL, delivered.getBytes(StandardCharsets.UTF_8)));

        given().get(BASE + "/q-old").then().statusCode(200)
                .body("decisions.recipient", contains("b@example.com", "c@example.com"))
                .body("decisions.action", contains("QUARANTINE", "QUARANTINE"))
                .body("decisions.ruleId", contains("block-virus", "block-virus"))
                .body("path.type", contains("RECEIVED", "SCANNED", "QUARANTINED", "DELIVERED"))
                .body("path[2].itemId", equalTo("q-old"))
                .body("path[2].area", nullValue())
                .body("path[3].kind", equalTo("MESSAGE"));
    }

    @Test
    void aMessageKnownOnlyFromADeliveryEventHasNoDecisionsYet() throws Exception {
        assertTrue(send(DeliveryEventConsumer.CHANNEL,
                EventJson.write(Events.delivery("q-early", T, DeliveryStatus.DEFERRED, "b@example.com"))));
        given().get(BASE + "/q-early").then().statusCode(200).body("decisions", empty());
    }
}
