package io.portcullis.quarantine.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.quarantine.Fixtures;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.Tracked;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.messaging.QuarantineStateConsumer;
import io.portcullis.quarantine.messaging.VerdictConsumer;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.storage.InMemoryObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class QuarantineResourceTest {
    private static final String API = "/api/v1/quarantine";
    private static final String QUARANTINE = "portcullis-quarantine";

    @Inject
    @Any
    InMemoryConnector connector;
    @Inject
    InMemoryObjectStore store;
    @Inject
    QuarantineRepository repository;

    private InMemorySink<byte[]> events;

    @BeforeEach
    void reset() {
        store.failing(false);
        store.clearObjects();
        events = connector.sink(QuarantineEventPublisher.CHANNEL);
        events.clear();
        QuarkusTransaction.requiringNew().run(() -> repository.deleteAll());
    }

    /** Quarantines through the real consumer, as in production. */
    private VerdictIssued quarantine(String sender, String... recipients) {
        String id = Fixtures.newId();
        byte[] eml = Fixtures.eml(id);
        VerdictIssued verdict = Fixtures.verdict(id, Action.QUARANTINE,
                io.portcullis.contracts.events.BodyRef.inline(eml, Fixtures.sha256(eml)),
                Fixtures.envelope(sender, recipients));
        Tracked tracked = new Tracked(EventJson.write(verdict));
        connector.source(VerdictConsumer.CHANNEL).send(tracked.message);
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        assertTrue(tracked.acked.get());
        return verdict;
    }

    private QuarantineEvent lastEvent(QuarantineEvent.Type type) {
        return events.received().stream().map(m -> EventJson.read(m.getPayload(), QuarantineEvent.class))
                .filter(e -> e.type() == type).reduce((a, b) -> b).orElseThrow();
    }

    private Tracked feedState(QuarantineEvent event) {
        Tracked tracked = new Tracked(EventJson.write(event));
        connector.source(QuarantineStateConsumer.CHANNEL).send(tracked.message);
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        return tracked;
    }

    @Test
    void listsNewestFirstWithFiltersAndPaging() {
        String first = quarantine("alice@example.org", "bob@example.com").messageId();
        String second = quarantine("carol@example.org", "Dave@Example.com", "bob@example.com").messageId();
        String third = quarantine("alice@example.org", "erin@example.com").messageId();

        given().when().get(API).then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.messageId", contains(third, second, first))
                .body("items[0].envelope.helo", equalTo("mx.example.net"))
                .body("items[0].envelope.clientIp", equalTo("192.0.2.7"))
                .body("items[0].envelope.tls", equalTo(true));
        given().queryParam("sender", "ALICE@example.org").when().get(API).then().statusCode(200)
                .body("items.messageId", contains(third, first));
        given().queryParam("recipient", "dave@example.com").when().get(API).then().statusCode(200)
                .body("items.messageId", contains(second));
        given().queryParam("recipient", "bob@example.com").queryParam("sender", "alice@example.org")
                .when().get(API).then().statusCode(200).body("items.messageId", contains(first));
        given().queryParam("limit", 1).queryParam("offset", 1).when().get(API).then().statusCode(200)
                .body("total", equalTo(3)).body("limit", equalTo(1)).body("offset", equalTo(1))
                .body("items.messageId", contains(second));
        given().queryParam("status", "released").when().get(API).then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(0));
        given().queryParam("status", "QUARANTINED").when().get(API).then().statusCode(200)
                .body("items", hasSize(3));
    }

    @Test
    void getsOneAndStreamsItsRawBytes() {
        VerdictIssued verdict = quarantine("alice@example.org", "bob@example.com");
        String id = verdict.messageId();
        given().when().get(API + "/" + id).then().statusCode(200)
                .body("messageId", equalTo(id))
                .body("status", equalTo("QUARANTINED"))
                .body("sender", equalTo("alice@example.org"))
                .body("recipients", contains("bob@example.com"))
                .body("reason", equalTo("rule=block-virus symbols=EICAR_TEST"))
                .body("objectKey", equalTo("2026/03/04/" + id + ".eml"))
                .body("size", equalTo(verdict.body().inline().length));

        byte[] raw = given().when().get(API + "/" + id + "/raw").then().statusCode(200)
                .contentType(startsWith("message/rfc822"))
                .header("Content-Disposition", equalTo("attachment; filename=\"" + id + ".eml\""))
                .extract().asByteArray();
        assertArrayEquals(verdict.body().inline(), raw);
    }

    @Test
    void releasePublishesReleasedWithTheQuarantineBodyAndTheStateConsumerAppliesIt() {
        VerdictIssued verdict = quarantine("alice@example.org", "bob@example.com");
        String id = verdict.messageId();
        events.clear();

        given().header("X-Portcullis-Actor", "admin-alice").when().post(API + "/" + id + "/release")
                .then().statusCode(202)
                .body("messageId", equalTo(id)).body("requested", equalTo("RELEASED"))
                .body("actor", equalTo("admin-alice"));

        QuarantineEvent released = lastEvent(QuarantineEvent.Type.RELEASED);
        assertEquals(id, released.messageId());
        assertEquals(QUARANTINE, released.body().bucket());
        assertEquals("2026/03/04/" + id + ".eml", released.body().key());
        assertNull(released.body().inline());
        assertEquals(verdict.body().inline().length, released.body().size());
        assertEquals(verdict.envelope(), released.envelope());
        assertEquals("admin-alice", released.actor());

        // not applied yet: the event is the source of truth
        given().when().get(API + "/" + id).then().body("status", equalTo("QUARANTINED"));
        // a second click before the state consumer caught up publishes nothing
        given().when().post(API + "/" + id + "/release").then().statusCode(409);
        assertEquals(1, events.received().size());

        assertTrue(feedState(released).acked.get());
        given().when().get(API + "/" + id).then().statusCode(200)
                .body("status", equalTo("RELEASED")).body("statusChangedBy", equalTo("admin-alice"));
        assertTrue(feedState(released).acked.get(), "applying twice is harmless");
        given().when().get(API + "/" + id).then().body("status", equalTo("RELEASED"));

        given().when().post(API + "/" + id + "/release").then().statusCode(409)
                .body("status", equalTo(409)).body("message", startsWith("message " + id + " is RELEASED"));
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".eml").isPresent(), "delivery still needs the body");
    }

    @Test
    void deletePublishesDeletedAndTheStateConsumerRemovesObjectAndMarksRow() {
        String id = quarantine("alice@example.org", "bob@example.com").messageId();
        events.clear();

        given().when().delete(API + "/" + id).then().statusCode(202)
                .body("requested", equalTo("DELETED")).body("actor", equalTo("api"));
        QuarantineEvent deleted = lastEvent(QuarantineEvent.Type.DELETED);
        assertEquals("api", deleted.actor());
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".eml").isPresent(), "nothing deleted before applied");

        assertTrue(feedState(deleted).acked.get());
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".eml").isEmpty());
        given().when().get(API + "/" + id).then().statusCode(200).body("status", equalTo("DELETED"));
        assertTrue(feedState(deleted).acked.get(), "applying twice is harmless");

        given().when().get(API + "/" + id + "/raw").then().statusCode(410);
        given().when().delete(API + "/" + id).then().statusCode(409);
        given().when().post(API + "/" + id + "/release").then().statusCode(409);
    }

    @Test
    void stateConsumerIgnoresQuarantinedEventsAndDeadLettersPoison() {
        String id = quarantine("alice@example.org", "bob@example.com").messageId();
        QuarantineEvent quarantined = lastEvent(QuarantineEvent.Type.QUARANTINED);
        assertTrue(feedState(quarantined).acked.get());
        given().when().get(API + "/" + id).then().body("status", equalTo("QUARANTINED"));

        Tracked poison = new Tracked("{oops".getBytes(StandardCharsets.UTF_8));
        connector.source(QuarantineStateConsumer.CHANNEL).send(poison.message);
        await().atMost(Duration.ofSeconds(10)).until(poison::settled);
        assertNotNull(poison.nacked.get());
    }

    @Test
    void readinessReportsTheObjectStore() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'object-store' }.status", equalTo("UP"));
        store.failing(true);
        try {
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"));
        } finally {
            store.failing(false);
        }
    }

    @Test
    void unknownIdIs404() {
        String id = Fixtures.newId();
        given().when().get(API + "/" + id).then().statusCode(404)
                .body("status", equalTo(404)).body("error", equalTo("Not Found"));
        given().when().get(API + "/" + id + "/raw").then().statusCode(404);
        given().when().post(API + "/" + id + "/release").then().statusCode(404);
        given().when().delete(API + "/" + id).then().statusCode(404);
        assertTrue(events.received().isEmpty());
    }

    @Test
    void malformedIdOrParametersAre400() {
        for (String id : List.of("a..b", "-x", "a%20b", "x".repeat(129), "%C3%A9")) {
            given().urlEncodingEnabled(false).when().get(API + "/" + id).then().statusCode(400)
                    .body("error", equalTo("Bad Request"));
            given().urlEncodingEnabled(false).when().post(API + "/" + id + "/release").then().statusCode(400);
            given().urlEncodingEnabled(false).when().delete(API + "/" + id).then().statusCode(400);
            given().urlEncodingEnabled(false).when().get(API + "/" + id + "/raw").then().statusCode(400);
        }
        given().queryParam("status", "EXPLODED").when().get(API).then().statusCode(400);
        given().queryParam("limit", 0).when().get(API).then().statusCode(400);
        given().queryParam("limit", 501).when().get(API).then().statusCode(400);
        given().queryParam("limit", "ten").when().get(API).then().statusCode(400);
        given().queryParam("offset", -1).when().get(API).then().statusCode(400);
        String id = quarantine("alice@example.org", "bob@example.com").messageId();
        given().header("X-Portcullis-Actor", "x".repeat(200)).when().post(API + "/" + id + "/release")
                .then().statusCode(400);
        assertTrue(events.received().stream().noneMatch(
                m -> EventJson.read(m.getPayload(), QuarantineEvent.class).type() == QuarantineEvent.Type.RELEASED));
    }
}
