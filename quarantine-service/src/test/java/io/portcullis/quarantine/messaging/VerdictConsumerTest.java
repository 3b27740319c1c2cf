package io.portcullis.quarantine.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.quarantine.Fixtures;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.Tracked;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.storage.InMemoryObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class VerdictConsumerTest {
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

    @AfterEach
    void heal() {
        store.failing(false);
    }

    private Tracked send(byte[] payload) {
        Tracked tracked = new Tracked(payload);
        connector.source(VerdictConsumer.CHANNEL).send(tracked.message);
        return tracked;
    }

    private Tracked sendAndSettle(VerdictIssued verdict) {
        Tracked tracked = send(EventJson.write(verdict));
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        return tracked;
    }

    private List<QuarantineEvent> published(String messageId) {
        return events.received().stream()
                .map(m -> EventJson.read(m.getPayload(), QuarantineEvent.class))
                .filter(e -> e.messageId().equals(messageId)).toList();
    }

    @Test
    void quarantineVerdictStoresBodyIndexesRowAndPublishesQuarantined() {
        String id = Fixtures.newId();
        VerdictIssued verdict = Fixtures.inlineVerdict(id, Action.QUARANTINE);
        Tracked tracked = sendAndSettle(verdict);

        assertTrue(tracked.acked.get(), "acked after the effect is durable");
        String key = "2026/03/04/" + id + ".eml";
        assertArrayEquals(verdict.body().inline(), store.get(QUARANTINE, key).orElseThrow());

        QuarantinedMessage row = repository.find(id).orElseThrow();
        assertEquals(QuarantineStatus.QUARANTINED, row.status);
        assertEquals("default", row.tenant);
        assertEquals(Fixtures.RECEIVED, row.receivedAt);
        assertNotNull(row.quarantinedAt);
        assertEquals("alice@example.org", row.sender);
        assertEquals(List.of("bob@example.com"), row.recipients);
        assertEquals("hello " + id, row.subject);
        assertEquals("rule=block-virus symbols=EICAR_TEST", row.reason);
        assertEquals(verdict.body().size(), row.size);
        assertEquals(verdict.body().sha256(), row.sha256);
        assertEquals(QUARANTINE, row.bucket);
        assertEquals(key, row.objectKey);

        List<? extends Message<byte[]>> records = events.received();
        assertEquals(1, records.size());
        assertEquals(id, records.get(0).getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        QuarantineEvent event = EventJson.read(records.get(0).getPayload(), QuarantineEvent.class);
        assertEquals(QuarantineEvent.Type.QUARANTINED, event.type());
        assertEquals(BodyRef.stored(QUARANTINE, key, row.size, row.sha256).key(), event.body().key());
        assertEquals(QUARANTINE, event.body().bucket());
        assertNull(event.body().inline(), "references on Kafka, not bytes");
        assertEquals(verdict.envelope(), event.envelope());
        assertEquals("system", event.actor());
        assertEquals(row.reason, event.reason());
    }

    @Test
    void spooledBodyIsCopiedServerSide() {
        String id = Fixtures.newId();
        byte[] eml = Fixtures.eml(id);
        store.createBucketIfMissing("portcullis-spool");
        store.put("portcullis-spool", "2026/03/04/" + id + ".eml", eml, "message/rfc822");
        VerdictIssued verdict = Fixtures.verdict(id, Action.QUARANTINE,
                BodyRef.stored("portcullis-spool", "2026/03/04/" + id + ".eml", eml.length, Fixtures.sha256(eml)),
                Fixtures.envelope("", "x@example.com", "y@example.com"));
        assertTrue(sendAndSettle(verdict).acked.get());

        assertArrayEquals(eml, store.get(QUARANTINE, "2026/03/04/" + id + ".eml").orElseThrow());
        QuarantinedMessage row = repository.find(id).orElseThrow();
        assertEquals("", row.sender, "null sender kept as empty string");
        assertEquals(List.of("x@example.com", "y@example.com"), row.recipients);
        assertEquals(eml.length, row.size);
    }

    @Test
    void deliverVerdictIsAckedAndIgnored() {
        String id = Fixtures.newId();
        assertTrue(sendAndSettle(Fixtures.inlineVerdict(id, Action.DELIVER)).acked.get());
        assertTrue(repository.find(id).isEmpty());
        assertTrue(store.get(QUARANTINE, "2026/03/04/" + id + ".eml").isEmpty());
        assertTrue(events.received().isEmpty());
    }

    @Test
    void duplicateVerdictStillLeavesOneRow() {
        String id = Fixtures.newId();
        VerdictIssued verdict = Fixtures.inlineVerdict(id, Action.QUARANTINE);
        assertTrue(sendAndSettle(verdict).acked.get());
        Instant firstQuarantinedAt = repository.find(id).orElseThrow().quarantinedAt;
        assertTrue(sendAndSettle(verdict).acked.get());

        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> repository.count("messageId", id)));
        assertEquals(firstQuarantinedAt, repository.find(id).orElseThrow().quarantinedAt);
        assertEquals(1, store.objectCount(QUARANTINE));
        List<QuarantineEvent> announced = published(id);
        assertEquals(2, announced.size(), "at-least-once: the redelivery republishes the same event");
        assertEquals(announced.get(0), announced.get(1));
    }

    @Test
    void redeliveryAfterReleaseChangesNothing() {
        String id = Fixtures.newId();
        VerdictIssued verdict = Fixtures.inlineVerdict(id, Action.QUARANTINE);
        sendAndSettle(verdict);
        repository.transition(id, QuarantineStatus.RELEASED, List.of(QuarantineStatus.QUARANTINED), Instant.now(),
                "tester");
        events.clear();

        assertTrue(sendAndSettle(verdict).acked.get());
        assertEquals(QuarantineStatus.RELEASED, repository.find(id).orElseThrow().status);
        assertTrue(events.received().isEmpty(), "no second QUARANTINED for a released message");
    }

    @Test
    void malformedRecordIsDeadLetteredAndTheConsumerKeepsGoing() {
        Tracked garbage = send("{\"messageId\": [not json".getBytes(StandardCharsets.UTF_8));
        Tracked empty = send(new byte[0]);
        String id = Fixtures.newId();
        Tracked good = send(EventJson.write(Fixtures.inlineVerdict(id, Action.QUARANTINE)));

        await().atMost(Duration.ofSeconds(10)).until(() -> garbage.settled() && empty.settled() && good.settled());
        assertNotNull(garbage.nacked.get(), "nack routes the record to the dead-letter topic");
        assertFalse(garbage.acked.get());
        assertNotNull(empty.nacked.get());
        assertTrue(good.acked.get());
        assertTrue(repository.find(id).isPresent());
    }

    @Test
    void unsafeIdOrMissingSpoolObjectIsDeadLettered() {
        VerdictIssued unsafe = Fixtures.inlineVerdict("../../evil", Action.QUARANTINE);
        Tracked first = sendAndSettle(unsafe);
        assertNotNull(first.nacked.get());

        String id = Fixtures.newId();
        store.createBucketIfMissing("portcullis-spool");
        VerdictIssued gone = Fixtures.verdict(id, Action.QUARANTINE,
                BodyRef.stored("portcullis-spool", "2026/03/04/nothing.eml", 10, null),
                Fixtures.envelope("a@example.org", "b@example.org"));
        Tracked second = sendAndSettle(gone);
        assertNotNull(second.nacked.get());
        assertTrue(repository.find(id).isEmpty());
        assertEquals(0, store.objectCount(QUARANTINE));
        assertTrue(events.received().isEmpty());
    }

    @Test
    void s3OutageIsNeverAckedAsDoneAndLeavesNoRowUntilS3Recovers() {
        store.failing(true);
        String id = Fixtures.newId();
        Tracked tracked = send(EventJson.write(Fixtures.inlineVerdict(id, Action.QUARANTINE)));

        await().atMost(Duration.ofSeconds(5)).until(() -> store.failedCalls() >= 3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !tracked.settled() && repository.find(id).isEmpty() && events.received().isEmpty());

        store.failing(false);
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        assertTrue(tracked.acked.get(), "retried in place, then acked once stored");
        assertTrue(repository.find(id).isPresent());
        assertEquals(1, published(id).size());
    }
}
