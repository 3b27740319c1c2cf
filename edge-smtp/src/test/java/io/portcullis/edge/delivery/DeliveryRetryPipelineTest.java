package io.portcullis.edge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.sink.DevelopmentSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The durable retry queue end to end inside one edge, Kafka in memory: a next hop that answers 421 to the first
 * connections makes delivery queue the message on the retry channel instead of bouncing it; fed back to the
 * retry consumer, it is delivered into the development sink.
 */
@QuarkusTest
@WithTestResource(DeliveryTestResources.class)
class DeliveryRetryPipelineTest {

    /** %test max-attempts: the quick phase's attempts. */
    private static final int QUICK_ATTEMPTS = 3;

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    DevelopmentSink sink;

    @Inject
    EdgeConfig config;

    private FlakyNextHop flaky;

    @AfterEach
    void closeHop() throws Exception {
        if (flaky != null) {
            flaky.close();
        }
    }

    /** Routes delivery through a next hop refusing {@code refusals} connections, then forwarding to the sink. */
    private void flakyNextHop(int refusals) throws Exception {
        flaky = new FlakyNextHop(refusals, sink.port());
        NextHop hop = flaky.hop();
        QuarkusMock.installMockForType(new DeliveryTarget(config, sink) {
            @Override
            public NextHop current() {
                return hop;
            }
        }, DeliveryTarget.class);
    }

    private static Message<byte[]> tracked(byte[] payload, AtomicReference<String> settled) {
        return Message.of(payload)
                .withAck(() -> {
                    settled.set("ack");
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    settled.set("nack: " + e.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
    }

    private List<DeliveryEvent> events(String messageId) {
        return connector.<byte[]>sink(KafkaDeliveryEventPublisher.CHANNEL).received().stream()
                .map(m -> EventJson.read(m.getPayload(), DeliveryEvent.class))
                .filter(e -> e.messageId().equals(messageId)).toList();
    }

    private List<? extends Message<byte[]>> retryRecords(String messageId) {
        return connector.<byte[]>sink(KafkaDeliveryRetryPublisher.CHANNEL).received().stream()
                .filter(m -> EventJson.read(m.getPayload(), DeliveryRetryScheduled.class).messageId()
                        .equals(messageId))
                .toList();
    }

    @Test
    void nextHopBusyPastTheQuickAttemptsQueuesARetryThatDeliversOnceFedBack() throws Exception {
        flakyNextHop(QUICK_ATTEMPTS);
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = ("Message-ID: <" + id + "@example.org>\r\nFrom: a@example.org\r\nSubject: busy hop\r\n\r\n"
                + "Hello.\r\n").getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        VerdictIssued verdict = new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", List.of("b@example.com", "c@example.com"), "client.test", "192.0.2.1",
                        false),
                BodyRef.inline(body, sha), null, null, Action.DELIVER, null, false, false, 0.0, List.of(),
                Modifications.NONE, 1);
        AtomicReference<String> verdictSettled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(verdict),
                verdictSettled));

        await().atMost(Duration.ofSeconds(20)).until(() -> verdictSettled.get() != null);
        assertEquals("ack", verdictSettled.get(), "the verdict is acknowledged once the retry is durable");
        assertEquals(QUICK_ATTEMPTS, flaky.connections.get());
        assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED),
                events(id).stream().map(DeliveryEvent::status).toList(), "deferred, not FAILED, no DSN");
        Path file = sink.dir().resolve(id + ".eml");
        assertFalse(Files.exists(file));
        List<? extends Message<byte[]>> queued = retryRecords(id);
        assertEquals(1, queued.size());
        assertEquals(id, queued.get(0).getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey(),
                "keyed by message id");
        DeliveryRetryScheduled retry = EventJson.read(queued.get(0).getPayload(), DeliveryRetryScheduled.class);
        assertEquals(QUICK_ATTEMPTS, retry.attempt());
        assertEquals(List.of("b@example.com", "c@example.com"), retry.envelope().recipients());
        assertTrue(retry.lastReply().startsWith("421"), retry.lastReply());
        assertTrue(retry.notBefore().isAfter(retry.firstAttemptAt()));

        AtomicReference<String> retrySettled = new AtomicReference<>();
        connector.<Message<byte[]>>source(RetryConsumer.CHANNEL).send(tracked(queued.get(0).getPayload(),
                retrySettled));

        await().atMost(Duration.ofSeconds(20)).until(() -> retrySettled.get() != null);
        assertEquals("ack", retrySettled.get());
        assertTrue(Instant.now().isAfter(retry.notBefore()));
        assertEquals("X-Portcullis-Queue-Id: " + id + "\r\n" + new String(body, StandardCharsets.UTF_8),
                Files.readString(file), "delivered verbatim into the sink");
        List<DeliveryEvent> events = events(id);
        DeliveryEvent delivered = events.get(events.size() - 1);
        assertEquals(DeliveryStatus.DELIVERED, delivered.status());
        assertEquals(QUICK_ATTEMPTS + 1, delivered.attempt());
        assertEquals(List.of("b@example.com", "c@example.com"), delivered.recipients());
        assertEquals(1, retryRecords(id).size(), "not queued again");
    }
}
