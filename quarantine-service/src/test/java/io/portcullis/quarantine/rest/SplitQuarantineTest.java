package io.portcullis.quarantine.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.quarantine.Fixtures;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.Tracked;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A message split by per-recipient policy: each quarantined group is its own item, released on its own. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class SplitQuarantineTest {
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

    private static RecipientDecision group(Action action, String area, String rule, String... recipients) {
        return new RecipientDecision(List.of(recipients), action, rule, Modifications.NONE, area, List.of(), null,
                List.of(), List.of(), List.of(rule));
    }

    /** bob: legal hold (area legal), carol: delivered, dave: default area of a virus verdict. */
    private static VerdictIssued split(String id) {
        byte[] eml = Fixtures.eml(id);
        VerdictIssued base = Fixtures.verdict(id, Action.QUARANTINE, BodyRef.inline(eml, Fixtures.sha256(eml)),
                Fixtures.envelope("alice@example.org", "bob@example.com", "carol@example.com", "dave@example.com"));
        return new VerdictIssued(base.messageId(), base.tenant(), base.receivedAt(), base.scannedAt(),
                base.envelope(), base.body(), base.headerMessageId(), base.subject(), base.action(), "legal-hold",
                base.virus(), base.spam(), base.spamScore(), base.findings(), base.modifications(),
                base.policyVersion(), Map.of(), eml.length, List.of(), List.of(), List.of(
                        group(Action.QUARANTINE, "legal", "legal-hold", "bob@example.com"),
                        group(Action.DELIVER, null, "allow", "carol@example.com"),
                        group(Action.QUARANTINE, null, "block-virus", "dave@example.com")));
    }

    private Tracked consume(VerdictIssued verdict) {
        Tracked tracked = new Tracked(EventJson.write(verdict));
        connector.source(VerdictConsumer.CHANNEL).send(tracked.message);
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        return tracked;
    }

    private List<QuarantineEvent> published(QuarantineEvent.Type type) {
        return events.received().stream().map(m -> EventJson.read(m.getPayload(), QuarantineEvent.class))
                .filter(e -> e.type() == type).toList();
    }

    private List<QuarantinedMessage> items(String messageId) {
        return QuarkusTransaction.requiringNew().call(() -> repository.list("messageId", messageId)).stream()
                .sorted(Comparator.comparing(r -> r.itemId)).toList();
    }

    @Test
    void twoQuarantinedGroupsBecomeTwoItemsWithTheirRecipientsAndAreas() {
        String id = Fixtures.newId();

        assertTrue(consume(split(id)).acked.get());

        List<QuarantinedMessage> items = items(id);
        assertEquals(2, items.size());
        QuarantinedMessage legal = items.get(0);
        QuarantinedMessage virus = items.get(1);
        assertEquals(id, legal.itemId, "the first quarantined group keeps the message id");
        assertEquals(id + ".q2", virus.itemId);
        assertEquals(List.of("bob@example.com"), legal.recipients);
        assertEquals(List.of("dave@example.com"), virus.recipients);
        assertEquals("legal", legal.area);
        assertEquals("virus", virus.area, "no area named: the default of a virus verdict");
        assertEquals("rule=legal-hold symbols=EICAR_TEST", legal.reason);
        assertEquals("rule=block-virus symbols=EICAR_TEST", virus.reason);
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".eml").isPresent());
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".q2.eml").isPresent(), "each item its own copy");
        List<QuarantineEvent> quarantined = published(QuarantineEvent.Type.QUARANTINED);
        assertEquals(2, quarantined.size());
        assertTrue(quarantined.stream().allMatch(e -> e.messageId().equals(id)), "events carry the message id");
        assertEquals(List.of(List.of("bob@example.com"), List.of("dave@example.com")),
                quarantined.stream().map(e -> e.envelope().recipients()).toList());
        assertEquals(List.of(id, id + ".q2"), quarantined.stream().map(QuarantineEvent::itemId).toList(),
                "events name their item");
        assertEquals(List.of("legal", "virus"), quarantined.stream().map(QuarantineEvent::area).toList());

        given().when().get(API + "/" + id + ".q2").then().statusCode(200)
                .body("itemId", equalTo(id + ".q2")).body("messageId", equalTo(id)).body("area", equalTo("virus"))
                .body("recipients[0]", equalTo("dave@example.com"));
    }

    @Test
    void aReconsumedSplitVerdictAddsNoItem() {
        String id = Fixtures.newId();
        VerdictIssued verdict = split(id);

        assertTrue(consume(verdict).acked.get());
        assertTrue(consume(verdict).acked.get());

        assertEquals(2, items(id).size());
        assertEquals(2, store.objectCount(QUARANTINE));
    }

    @Test
    void releasingOneItemDeliversToItsRecipientsOnlyAndLeavesTheOtherQuarantined() {
        String id = Fixtures.newId();
        consume(split(id));
        events.clear();

        given().header("X-Portcullis-Actor", "admin").when().post(API + "/" + id + ".q2/release").then()
                .statusCode(202).body("messageId", equalTo(id)).body("itemId", equalTo(id + ".q2"));

        QuarantineEvent released = published(QuarantineEvent.Type.RELEASED).get(0);
        assertEquals(id, released.messageId());
        assertEquals(List.of("dave@example.com"), released.envelope().recipients(),
                "delivery sends the release to this item's recipients only");
        assertEquals("2026/03/04/" + id + ".q2.eml", released.body().key());
        assertEquals(id + ".q2", released.itemId());
        assertEquals("virus", released.area());

        Tracked applied = new Tracked(EventJson.write(released));
        connector.source(QuarantineStateConsumer.CHANNEL).send(applied.message);
        await().atMost(Duration.ofSeconds(10)).until(applied::settled);
        assertTrue(applied.acked.get());
        assertEquals(QuarantineStatus.RELEASED, repository.find(id + ".q2").orElseThrow().status);
        assertEquals(QuarantineStatus.QUARANTINED, repository.find(id).orElseThrow().status,
                "the other item stays quarantined");

        // deleting the first item removes its copy only
        given().when().delete(API + "/" + id).then().statusCode(202);
        QuarantineEvent deleted = published(QuarantineEvent.Type.DELETED).get(0);
        Tracked appliedDelete = new Tracked(EventJson.write(deleted));
        connector.source(QuarantineStateConsumer.CHANNEL).send(appliedDelete.message);
        await().atMost(Duration.ofSeconds(10)).until(appliedDelete::settled);
        assertEquals(QuarantineStatus.DELETED, repository.find(id).orElseThrow().status);
        assertEquals(QuarantineStatus.RELEASED, repository.find(id + ".q2").orElseThrow().status);
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".eml").isEmpty());
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".q2.eml").isPresent());
    }

    @Test
    void anOldStyleVerdictIsOneItemKeyedByTheMessageIdInTheDefaultArea() {
        String id = Fixtures.newId();

        assertTrue(consume(Fixtures.inlineVerdict(id, Action.QUARANTINE)).acked.get());

        List<QuarantinedMessage> items = items(id);
        assertEquals(1, items.size());
        assertEquals(id, items.get(0).itemId);
        assertEquals("virus", items.get(0).area);
        assertEquals(List.of("bob@example.com"), items.get(0).recipients);
    }
}
