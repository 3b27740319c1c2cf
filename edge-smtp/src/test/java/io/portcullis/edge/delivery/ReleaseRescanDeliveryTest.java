package io.portcullis.edge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.edge.sink.DevelopmentSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
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
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * Delivery of releases from quarantine (ADR 0010): the edge no longer reads the quarantine events; it delivers the
 * verdict scanner-service publishes after rescanning a release (rule {@code release-rescan}, one group with only the
 * released recipients), like any verdict, and leaves a release that the rescan quarantined again alone.
 */
@QuarkusTest
@WithTestResource(DeliveryTestResources.class)
class ReleaseRescanDeliveryTest {

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    DevelopmentSink sink;

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

    /**
     * A verdict as scanner-service's release rescan writes it: the original envelope minus the recipients that were
     * not released, the quarantined copy as body, one group.
     */
    private static VerdictIssued rescanVerdict(String verdictId, Action action, String area, List<String> released,
            byte[] body) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        RecipientDecision group = new RecipientDecision(released, action, "release-rescan", Modifications.NONE, area,
                List.of(), null, List.of(), List.of(), List.of());
        List<Finding> findings = action == Action.DELIVER
                ? List.of(new Finding("RELEASE_RESCAN", Category.INFO, 0, "rescan"))
                : List.of(new Finding("RELEASE_RESCAN", Category.INFO, 0, "rescan"),
                        new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature"));
        return new VerdictIssued(verdictId, "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", released, "client.test", "192.0.2.1", false), BodyRef.inline(body, sha),
                null, "released", action, "release-rescan", action != Action.DELIVER, false, 0, findings,
                Modifications.NONE, 0, java.util.Map.of(), body.length, List.of(), List.of(), List.of(group));
    }

    private static byte[] body(String subject) {
        return ("Message-ID: <" + UUID.randomUUID() + "@example.org>\r\nFrom: a@example.org\r\nTo: b@example.com, "
                + "c@example.com\r\nSubject: " + subject + "\r\n\r\nreleased body\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<DeliveryEvent> events(String messageId) {
        InMemorySink<byte[]> out = connector.sink(KafkaDeliveryEventPublisher.CHANNEL);
        return out.received().stream().map(m -> EventJson.read(m.getPayload(), DeliveryEvent.class))
                .filter(e -> e.messageId().equals(messageId)).toList();
    }

    private Path copyFor(String recipient, String verdictId) {
        return sink.dir().resolve("rcpt").resolve(recipient).resolve(verdictId.replace(".", "") + ".eml");
    }

    @Test
    void cleanRescanVerdictIsDeliveredToExactlyTheReleasedRecipients() throws Exception {
        String original = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
        String verdictId = original + ".r0123456789";
        byte[] body = body("released");
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(
                rescanVerdict(verdictId, Action.DELIVER, null, List.of("b@example.com"), body)), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        List<DeliveryEvent> events = events(verdictId);
        assertEquals(List.of(DeliveryStatus.DELIVERED), events.stream().map(DeliveryEvent::status).toList());
        assertEquals(List.of("b@example.com"), events.get(0).recipients());
        assertEquals(io.portcullis.contracts.events.DeliveryKind.RELEASE, events.get(0).kind(),
                "the delivery of a release is marked as one");
        assertTrue(Files.exists(copyFor("b@example.com", verdictId)), "the released recipient got it");
        assertFalse(Files.exists(copyFor("c@example.com", verdictId)), "the recipient not released did not");
        String delivered = Files.readString(copyFor("b@example.com", verdictId));
        assertEquals("X-Portcullis-Queue-Id: " + verdictId + "\r\n" + new String(body, StandardCharsets.UTF_8),
                delivered, "unmodified but for the queue id");
    }

    @Test
    void rescanVerdictThatQuarantinesAgainIsNotDelivered() throws Exception {
        String verdictId = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 17) + ".rabcdef0123";
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(
                rescanVerdict(verdictId, Action.QUARANTINE, "virus", List.of("b@example.com"), body("eicar"))),
                settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertTrue(events(verdictId).isEmpty(), "no delivery event at all");
        assertFalse(Files.exists(copyFor("b@example.com", verdictId)));
        assertFalse(Files.exists(sink.dir().resolve(verdictId.replace(".", "") + ".eml")));
    }

    @Test
    void theEdgeNoLongerReadsQuarantineEventsSoNothingDeliversAReleaseDirectly() {
        var config = ConfigProvider.getConfig();
        List<String> consumersOfQuarantineEvents = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(n -> n.startsWith("mp.messaging.incoming.") && n.endsWith(".topic"))
                .filter(n -> Topics.QUARANTINE_EVENTS.equals(config.getOptionalValue(n, String.class).orElse(null)))
                .toList();
        assertEquals(List.of(), consumersOfQuarantineEvents);
        assertTrue(config.getOptionalValue("mp.messaging.incoming.quarantine-releases.connector", String.class)
                .isEmpty(), "the old delivery-release channel is gone");
    }
}
