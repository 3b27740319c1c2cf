package io.portcullis.edge.delivery;

import io.portcullis.edge.storage.InMemoryObjectStore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingDsnSender;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingPublisher;
import io.portcullis.edge.delivery.DeliveryServiceTest.ScriptedRelay;
import io.portcullis.edge.delivery.RecipientResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerdictConsumerTest {

    private final ScriptedRelay relay = new ScriptedRelay().then(DeliveryServiceTest.all(Outcome.ACCEPTED, "250 ok"));
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final RecordingDsnSender dsns = new RecordingDsnSender();
    private final DeliveryService service = new DeliveryService(relay, new BodyLoader(new InMemoryObjectStore()),
            dsns, publisher, new DeliveryServiceTest.RecordingRetryPublisher(),
            () -> new NextHop("mx.test", 25), new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(10), 2),
            new QueueRetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5)),
            new DsnBuilder("edge.test", "MAILER-DAEMON@edge.test"), 2, new SimpleMeterRegistry(), Clock.systemUTC());
    private final PolicyNotifier notifier = new PolicyNotifier(dsns, () -> new NextHop("mx.test", 25),
            new BuiltInNotificationTemplates(), new NotificationBuilder("postmaster@edge.test", "edge.test"),
            java.util.Optional.empty(), new BodyLoader(new InMemoryObjectStore()),
            new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(10), 2), new SimpleMeterRegistry(),
            Clock.systemUTC());
    private final VerdictConsumer consumer = new VerdictConsumer(new PolicyActions(service, notifier), 16);

    @AfterEach
    void stop() {
        service.stop();
        notifier.stop();
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

    private static byte[] verdict(String id, Action action) {
        byte[] body = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        return EventJson.write(new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", List.of("b@example.com"), "h", "192.0.2.1", false),
                BodyRef.inline(body, null), null, null, action, null, false, false, 0, List.of(), Modifications.NONE,
                1));
    }

    @Test
    void doesNotHoldTheChannelWhileADeliveryIsPendingAndAcksAfterwards() {
        relay.hold = new CountDownLatch(1);
        AtomicReference<String> first = new AtomicReference<>();

        CompletionStage<Void> next = consumer.consume(record(verdict("V1", Action.DELIVER), first));

        assertTrue(next.toCompletableFuture().isDone(), "the next record can be consumed at once");
        assertNull(first.get(), "not acknowledged while the relay is in progress");
        AtomicReference<String> second = new AtomicReference<>();
        consumer.consume(record(verdict("V2", Action.DELETE), second));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() != null);
        assertEquals("ack", second.get(), "a later record completes while the first is still pending");
        assertNull(first.get());

        relay.hold.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> first.get() != null);
        assertEquals("ack", first.get());
        assertTrue(publisher.statuses().containsAll(List.of(DeliveryStatus.DROPPED, DeliveryStatus.DELIVERED)));
    }

    @Test
    void deletedMessageIsDroppedWithoutRelayOrNotificationToTheSender() {
        // mass-mailer policy: DELETE, and the (forged) sender must not get a bounce
        AtomicReference<String> settled = new AtomicReference<>();
        consumer.consume(record(verdict("V3", Action.DELETE), settled));
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertEquals(List.of(DeliveryStatus.DROPPED), publisher.statuses());
        assertTrue(relay.messages.isEmpty(), "nothing relayed");
        assertTrue(dsns.sent.isEmpty(), "no DSN to the sender");
    }

    @Test
    void poisonRecordsAreNacked() {
        for (String bad : new String[] {"", "[]", "{\"messageId\":\"x\"}", "{\"messageId\":\"x\",\"action\":\"NOPE\"}",
                "{\"messageId\":\"x\",\"action\":\"DELIVER\",\"envelope\":{\"mailFrom\":\"\",\"recipients\":[]}}"}) {
            AtomicReference<String> settled = new AtomicReference<>();
            consumer.consume(record(bad.getBytes(StandardCharsets.UTF_8), settled));
            assertEquals("nack", settled.get(), bad);
        }
        assertTrue(publisher.events.isEmpty());
    }
}
