package io.portcullis.edge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.DeliveryKind;
import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingDsnSender;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingPublisher;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingRetryPublisher;
import io.portcullis.edge.delivery.DeliveryServiceTest.ScriptedRelay;
import io.portcullis.edge.delivery.RecipientResult.Outcome;
import io.portcullis.edge.storage.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryConsumerTest {

    private final ScriptedRelay scripted = new ScriptedRelay().then(DeliveryServiceTest.all(Outcome.ACCEPTED,
            "250 2.0.0 ok"));
    private final List<Instant> relayedAt = new CopyOnWriteArrayList<>();
    private final MessageRelay relay = (hop, from, rcpts, message) -> {
        relayedAt.add(Instant.now());
        return scripted.relay(hop, from, rcpts, message);
    };
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final RecordingRetryPublisher retries = new RecordingRetryPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryService service = new DeliveryService(relay, new BodyLoader(new InMemoryObjectStore()),
            new RecordingDsnSender(), publisher, retries, () -> new NextHop("mx.test", 25),
            new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(10), 3),
            new QueueRetryPolicy(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofDays(5)),
            new DsnBuilder("edge.test", "MAILER-DAEMON@edge.test"), 2, registry, Clock.systemUTC());
    private RetryConsumer consumer;

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.stop();
        }
        service.stop();
    }

    private RetryConsumer consumer(int maxHeld) {
        consumer = new RetryConsumer(service, maxHeld, registry, Clock.systemUTC());
        return consumer;
    }

    private static Message<byte[]> record(byte[] payload, AtomicReference<String> settled) {
        return Message.of(payload).withAck(() -> {
            settled.set("ack");
            return CompletableFuture.completedFuture(null);
        }).withNack(e -> {
            settled.set("nack");
            return CompletableFuture.completedFuture(null);
        });
    }

    private static byte[] retry(String id, Instant notBefore, int attempt) {
        byte[] body = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        return EventJson.write(new DeliveryRetryScheduled(id, "default", Instant.now().minusSeconds(600), notBefore,
                attempt, new Envelope("a@example.org", List.of("b@example.com"), null, null, false),
                BodyRef.inline(body, null), Modifications.NONE, "421 4.3.2 busy"));
    }

    @Test
    void waitsUntilNotBeforeWithoutHoldingTheChannelThenDeliversAndAcks() throws InterruptedException {
        Instant notBefore = Instant.now().plusMillis(600);
        AtomicReference<String> settled = new AtomicReference<>();

        CompletionStage<Void> next = consumer(10).consume(record(retry("R1", notBefore, 3), settled));

        assertTrue(next.toCompletableFuture().isDone(), "the poll loop is not held while the record waits");
        assertEquals(1, consumer.held());
        assertEquals(1.0, registry.get("portcullis.delivery.retries.held").gauge().value());
        Thread.sleep(300);
        assertTrue(relayedAt.isEmpty(), "not attempted before notBefore");
        assertNull(settled.get(), "not acknowledged while waiting");

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertFalse(relayedAt.get(0).isBefore(notBefore), "attempted at or after notBefore");
        DeliveryEvent delivered = publisher.events.get(0);
        assertEquals(DeliveryStatus.DELIVERED, delivered.status());
        assertEquals(4, delivered.attempt(), "attempt numbering continues from the record");
        assertEquals(List.of("b@example.com"), delivered.recipients());
        assertEquals(0, consumer.held());
    }

    @Test
    void aQueuedBccCopyStaysMarkedOnItsRetriesAndWhenQueuedAgain() {
        scripted.script.clear();
        scripted.then(DeliveryServiceTest.all(Outcome.TEMPORARY, "451 4.3.0 later"));
        byte[] body = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        DeliveryRetryScheduled bcc = new DeliveryRetryScheduled("R9", "default", Instant.now().minusSeconds(600),
                Instant.now(), 3, new Envelope("a@example.org", List.of("audit@example.com"), null, null, false),
                BodyRef.inline(body, null), Modifications.NONE, "bcc copy: 421 busy", DeliveryKind.BCC_COPY);
        AtomicReference<String> settled = new AtomicReference<>();

        consumer(10).consume(record(EventJson.write(bcc), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        DeliveryEvent deferred = publisher.events.get(0);
        assertEquals(DeliveryKind.BCC_COPY, deferred.kind(), "the retry's events keep the kind");
        assertEquals(DeliveryJob.BCC_REPLY_PREFIX + "451 4.3.0 later", deferred.reply(),
                "and the reply prefix of the first releases");
        assertEquals(DeliveryKind.BCC_COPY, retries.scheduled.get(0).kind(), "queued again with its kind");
    }

    @Test
    void aRetryRecordWithoutKindIsTheDeliveryToTheRecipients() {
        AtomicReference<String> settled = new AtomicReference<>();

        consumer(10).consume(record(retry("R10", Instant.now(), 1), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals(DeliveryKind.MESSAGE, publisher.events.get(0).kind());
        assertEquals("250 2.0.0 ok", publisher.events.get(0).reply());
    }

    @Test
    void aRecordWhoseTimeHasPassedIsAttemptedAtOnce() {
        AtomicReference<String> settled = new AtomicReference<>();

        consumer(10).consume(record(retry("R2", Instant.now().minusSeconds(60), 5), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertEquals(6, publisher.events.get(0).attempt());
    }

    @Test
    void stillFailingIsQueuedAgainAndTheRecordAcked() {
        scripted.script.clear();
        scripted.then(DeliveryServiceTest.all(Outcome.TEMPORARY, "451 4.3.0 later"));
        AtomicReference<String> settled = new AtomicReference<>();

        consumer(10).consume(record(retry("R3", Instant.now(), 3), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get(), "acked once the new retry record is durable");
        assertEquals(1, relayedAt.size(), "one attempt per queued retry");
        assertEquals(List.of(DeliveryStatus.DEFERRED), publisher.statuses());
        assertEquals(4, retries.scheduled.get(0).attempt());
    }

    @Test
    void aRetryRecordThatCannotBeRequeuedIsNacked() {
        scripted.script.clear();
        scripted.then(DeliveryServiceTest.all(Outcome.TEMPORARY, "451 4.3.0 later"));
        retries.fail = true;
        AtomicReference<String> settled = new AtomicReference<>();

        consumer(10).consume(record(retry("R4", Instant.now(), 3), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("nack", settled.get());
    }

    @Test
    void poisonRecordsAreNacked() {
        RetryConsumer c = consumer(10);
        for (String bad : new String[] {"", "[]", "{not json", "{\"messageId\":\"x\"}",
                "{\"messageId\":\"x\",\"attempt\":1,\"firstAttemptAt\":\"2026-01-01T00:00:00Z\","
                        + "\"notBefore\":\"2026-01-01T00:00:00Z\",\"body\":{\"inline\":\"AA==\",\"size\":1},"
                        + "\"envelope\":{\"mailFrom\":\"\",\"recipients\":[]}}",
                "{\"messageId\":\"x\",\"attempt\":-1,\"firstAttemptAt\":\"2026-01-01T00:00:00Z\","
                        + "\"notBefore\":\"2026-01-01T00:00:00Z\",\"body\":{\"inline\":\"AA==\",\"size\":1},"
                        + "\"envelope\":{\"mailFrom\":\"\",\"recipients\":[\"b@example.com\"]}}"}) {
            AtomicReference<String> settled = new AtomicReference<>();
            c.consume(record(bad.getBytes(StandardCharsets.UTF_8), settled));
            assertEquals("nack", settled.get(), bad);
        }
        assertEquals(0, c.held());
        assertTrue(relayedAt.isEmpty());
        assertTrue(publisher.events.isEmpty());
    }

    @Test
    void holdsAtMostMaxQueuedInMemoryRecordsThenPausesUntilOneIsDone() {
        RetryConsumer c = consumer(2);
        AtomicReference<String> soon = new AtomicReference<>();

        CompletionStage<Void> first = c.consume(record(retry("R5", Instant.now().plusMillis(300), 3), soon));
        CompletionStage<Void> second = c.consume(record(retry("R6", Instant.now().plusSeconds(60), 3),
                new AtomicReference<>()));

        assertTrue(first.toCompletableFuture().isDone());
        assertFalse(second.toCompletableFuture().isDone(), "the window is full: no further record is taken");
        assertEquals(2, c.held());
        await().atMost(Duration.ofSeconds(5)).until(() -> second.toCompletableFuture().isDone());
        assertEquals("ack", soon.get());
        assertEquals(1, c.held(), "the far-future record is still held, unacknowledged");
    }

    @Test
    void aPolicyDeferralIsDeliveredOnlyWhenItsWindowOpensAsAFirstDelivery() throws InterruptedException {
        Instant until = Instant.now().plusMillis(500);
        byte[] body = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] record = EventJson.write(new DeliveryRetryScheduled("D1", "default", until, until, 0,
                new Envelope("a@example.org", List.of("b@example.com"), null, null, false), BodyRef.inline(body, null),
                Modifications.NONE, "policy defer until " + until));
        AtomicReference<String> settled = new AtomicReference<>();

        consumer(10).consume(record(record, settled));

        Thread.sleep(250);
        assertTrue(relayedAt.isEmpty(), "no delivery before the window");
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertFalse(relayedAt.get(0).isBefore(until));
        assertEquals(1, publisher.events.get(0).attempt(), "the first attempt");
    }

    @Test
    void aRecordDueLaterThanTheLongestHoldIsRepublishedUnchangedInAHop() {
        consumer = new RetryConsumer(service, 10, Duration.ofMillis(200), registry, Clock.systemUTC());
        Instant until = Instant.now().plus(Duration.ofDays(2));
        AtomicReference<String> settled = new AtomicReference<>();

        consumer.consume(record(retry("D2", until, 0), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get(), "acknowledged once the copy is durable");
        assertEquals(1, retries.scheduled.size());
        assertEquals(until, retries.scheduled.get(0).notBefore(), "same notBefore: the window is kept");
        assertEquals("D2", retries.scheduled.get(0).messageId());
        assertTrue(relayedAt.isEmpty(), "not delivered early");
        assertEquals(0, consumer.held());
    }

    @Test
    void aHopThatCannotBeMadeDurableNacks() {
        consumer = new RetryConsumer(service, 10, Duration.ofMillis(50), registry, Clock.systemUTC());
        retries.fail = true;
        AtomicReference<String> settled = new AtomicReference<>();

        consumer.consume(record(retry("D3", Instant.now().plus(Duration.ofDays(2)), 0), settled));

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("nack", settled.get());
    }
}
