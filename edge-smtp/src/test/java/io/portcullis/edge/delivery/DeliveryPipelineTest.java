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
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.sink.DevelopmentSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
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
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DeliveryTestResources.class)
class DeliveryPipelineTest {

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    DevelopmentSink sink;

    /** How the consumer settled a record: "ack", "nack: <reason>", or null while pending. */
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

    private static byte[] body(String subject) {
        return ("Message-ID: <" + UUID.randomUUID() + "@example.org>\r\nFrom: a@example.org\r\nTo: b@example.com\r\n"
                + "Subject: " + subject + "\r\n\r\nHello,\r\n.a line starting with a dot\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static VerdictIssued verdict(String id, Action action, byte[] body, Modifications mods) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        return new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", List.of("b@example.com", "c@example.com"), "client.test", "192.0.2.1",
                        false),
                BodyRef.inline(body, sha), null, null, action, null, false, action == Action.TAG, 0.0, List.of(),
                mods, 1);
    }

    private List<DeliveryEvent> events(String messageId) {
        InMemorySink<byte[]> out = connector.sink(KafkaDeliveryEventPublisher.CHANNEL);
        return out.received().stream().map(m -> EventJson.read(m.getPayload(), DeliveryEvent.class))
                .filter(e -> e.messageId().equals(messageId)).toList();
    }

    @Test
    void deliverVerdictLandsInTheSinkAndEmitsDelivered() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = body("hello");
        AtomicReference<String> settled = new AtomicReference<>();
        InMemorySource<Message<byte[]>> verdicts = connector.source(VerdictConsumer.CHANNEL);

        verdicts.send(tracked(EventJson.write(verdict(id, Action.DELIVER, body, Modifications.NONE)), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        Path file = sink.dir().resolve(id + ".eml");
        assertTrue(Files.exists(file), "delivered to the development sink");
        byte[] expected = ("X-Portcullis-Queue-Id: " + id + "\r\n" + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(new String(expected, StandardCharsets.UTF_8), Files.readString(file));
        List<DeliveryEvent> events = events(id);
        assertEquals(1, events.size(), events.toString());
        DeliveryEvent delivered = events.get(0);
        assertEquals(DeliveryStatus.DELIVERED, delivered.status());
        assertEquals(List.of("b@example.com", "c@example.com"), delivered.recipients());
        assertEquals(1, delivered.attempt());
        assertEquals("127.0.0.1:" + sink.port(), delivered.nextHop());
        assertTrue(delivered.reply().startsWith("250"), delivered.reply());
        Message<byte[]> record = connector.<byte[]>sink(KafkaDeliveryEventPublisher.CHANNEL).received().stream()
                .filter(m -> EventJson.read(m.getPayload(), DeliveryEvent.class).messageId().equals(id)).findFirst()
                .orElseThrow();
        assertEquals(id, record.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey(),
                "keyed by message id");
    }

    @Test
    void tagVerdictIsDeliveredWithTheSubjectPrefix() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        AtomicReference<String> settled = new AtomicReference<>();
        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(
                verdict(id, Action.TAG, body("offer"), new Modifications("[SPAM]", List.of()))), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        String stored = Files.readString(sink.dir().resolve(id + ".eml"));
        assertTrue(stored.contains("\r\nSubject: [SPAM] offer\r\n"), stored);
    }

    @Test
    void deleteVerdictIsDropped() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        AtomicReference<String> settled = new AtomicReference<>();
        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(
                verdict(id, Action.DELETE, body("x"), Modifications.NONE)), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        List<DeliveryEvent> events = events(id);
        assertEquals(List.of(DeliveryStatus.DROPPED), events.stream().map(DeliveryEvent::status).toList());
        assertFalse(Files.exists(sink.dir().resolve(id + ".eml")));
    }

    @Test
    void quarantineVerdictIsLeftToQuarantine() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        AtomicReference<String> settled = new AtomicReference<>();
        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(
                verdict(id, Action.QUARANTINE, body("x"), Modifications.NONE)), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertTrue(events(id).isEmpty());
        assertFalse(Files.exists(sink.dir().resolve(id + ".eml")));
    }

    @Test
    void malformedRecordIsNackedAndTheConsumerKeepsWorking() throws Exception {
        AtomicReference<String> poison = new AtomicReference<>();
        InMemorySource<Message<byte[]>> verdicts = connector.source(VerdictConsumer.CHANNEL);

        verdicts.send(tracked("{not json".getBytes(StandardCharsets.UTF_8), poison));
        AtomicReference<String> incomplete = new AtomicReference<>();
        verdicts.send(tracked("{\"messageId\":\"X1\",\"action\":\"DELIVER\"}".getBytes(StandardCharsets.UTF_8),
                incomplete));

        await().atMost(Duration.ofSeconds(20)).until(() -> poison.get() != null && incomplete.get() != null);
        assertTrue(poison.get().startsWith("nack"), poison.get());
        assertTrue(incomplete.get().startsWith("nack"), incomplete.get());
        assertTrue(events("X1").isEmpty());

        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        AtomicReference<String> good = new AtomicReference<>();
        verdicts.send(tracked(EventJson.write(verdict(id, Action.DELIVER, body("after poison"), Modifications.NONE)),
                good));
        await().atMost(Duration.ofSeconds(20)).until(() -> good.get() != null);
        assertEquals("ack", good.get());
        assertTrue(Files.exists(sink.dir().resolve(id + ".eml")));
    }

    @Test
    void releasedMessageIsDeliveredUnmodified() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = body("released");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        QuarantineEvent released = new QuarantineEvent(id, "default", Instant.now(), QuarantineEvent.Type.RELEASED,
                new Envelope("a@example.org", List.of("b@example.com"), "client.test", "192.0.2.1", false),
                BodyRef.inline(body, sha), "rule spam", "admin");
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(ReleaseConsumer.CHANNEL).send(tracked(EventJson.write(released), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertEquals("X-Portcullis-Queue-Id: " + id + "\r\n" + new String(body, StandardCharsets.UTF_8),
                Files.readString(sink.dir().resolve(id + ".eml")));
        assertEquals(List.of(DeliveryStatus.DELIVERED), events(id).stream().map(DeliveryEvent::status).toList());
        assertEquals(List.of(io.portcullis.contracts.events.DeliveryKind.RELEASE),
                events(id).stream().map(DeliveryEvent::kind).toList(), "a release's delivery is marked as one");
    }

    private VerdictIssued undeliverable(String id, String sender) throws Exception {
        byte[] body = body("x");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        return new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope(sender, List.of("bad address@example.com"), "client.test", "192.0.2.1", false),
                BodyRef.inline(body, sha), null, null, Action.DELIVER, null, false, false, 0.0, List.of(),
                Modifications.NONE, 1);
    }

    @Test
    void permanentFailureSendsADsnThroughTheSameHopBeforeAcknowledging() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL)
                .send(tracked(EventJson.write(undeliverable(id, "a@example.org")), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertEquals(List.of(DeliveryStatus.FAILED, DeliveryStatus.DSN_SENT),
                events(id).stream().map(DeliveryEvent::status).toList());
        List<String> dsns;
        try (var files = Files.list(sink.dir())) {
            dsns = files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(text -> text.contains("X-Portcullis-Dsn-For: " + id)).toList();
        }
        assertEquals(1, dsns.size(), "one DSN in the development sink");
        String dsn = dsns.get(0);
        assertTrue(dsn.contains("Content-Type: multipart/report; report-type=delivery-status"));
        assertTrue(dsn.contains("Final-Recipient: rfc822; bad address@example.com"));
        assertTrue(dsn.contains("Status: 5.1.3"));
        assertTrue(dsn.contains("To: <a@example.org>"));
    }

    @Test
    void nullSenderFailureIsAcknowledgedWithoutADsn() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL)
                .send(tracked(EventJson.write(undeliverable(id, "")), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        assertEquals(List.of(DeliveryStatus.FAILED), events(id).stream().map(DeliveryEvent::status).toList());
    }

    @Test
    void splitVerdictDeliversTheStrippedCopyToTheDeliverGroupOnlyAndDefersNothing() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = AttachmentStripperTest.threeParts();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        io.portcullis.contracts.events.RecipientDecision deliver = new io.portcullis.contracts.events.RecipientDecision(
                List.of("b@example.com"), Action.DELIVER, "strip-exe",
                new Modifications(null, List.of(), List.of("part/2"), null), null, List.of(), null, List.of(),
                List.of(), List.of("strip-exe"));
        io.portcullis.contracts.events.RecipientDecision quarantine =
                new io.portcullis.contracts.events.RecipientDecision(List.of("c@example.com"), Action.QUARANTINE,
                        "hold", Modifications.NONE, "legal", List.of(), null, List.of(), List.of(), List.of("hold"));
        VerdictIssued v = new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", List.of("b@example.com", "c@example.com"), "client.test", "192.0.2.1",
                        false),
                BodyRef.inline(body, sha), null, "files", Action.DELIVER, "strip-exe", false, false, 0.0, List.of(),
                deliver.modifications(), 3, java.util.Map.of(), body.length, List.of(), List.of(),
                List.of(deliver, quarantine));
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(v), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        byte[] delivered = Files.readAllBytes(sink.dir().resolve(id + ".eml"));
        org.apache.james.mime4j.dom.Multipart mp =
                (org.apache.james.mime4j.dom.Multipart) AttachmentStripperTest.parse(delivered).getBody();
        assertEquals(3, mp.getBodyParts().size());
        assertTrue(AttachmentStripperTest.text(mp.getBodyParts().get(1)).contains("a.exe"));
        String text = new String(delivered, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(AttachmentStripperTest.TEXT_PART) && text.contains(AttachmentStripperTest.PDF_PART),
                "the other parts byte-identical");
        assertFalse(text.contains("TVqQ"));
        List<DeliveryEvent> events = events(id);
        assertEquals(1, events.size(), events.toString());
        assertEquals(List.of("b@example.com"), events.get(0).recipients(), "the quarantined recipient gets nothing");
    }

    private static VerdictIssued withGroup(String id, byte[] body, io.portcullis.contracts.events.RecipientDecision g)
            throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        return new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", g.recipients(), "client.test", "192.0.2.1", false),
                BodyRef.inline(body, sha), null, "quarterly\r\nBcc: x@example.net", g.action(), g.ruleId(), false,
                false, 0.0, List.of(), g.modifications(), 3, java.util.Map.of(), body.length, List.of(), List.of(),
                List.of(g));
    }

    @Test
    void deferredGroupWaitsOnTheRetryQueueAndIsDeliveredOnlyInItsWindow() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        Instant until = Instant.now().plusMillis(1500);
        VerdictIssued v = withGroup(id, body("late"), new io.portcullis.contracts.events.RecipientDecision(
                List.of("b@example.com"), Action.DELIVER, "after-hours", Modifications.NONE, null, List.of(), until,
                List.of(), List.of(), List.of("after-hours")));
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(v), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get(), "acknowledged once the deferral is durable");
        Path file = sink.dir().resolve(id + ".eml");
        assertFalse(Files.exists(file), "not delivered before the window");
        List<byte[]> queued = connector.<byte[]>sink(KafkaDeliveryRetryPublisher.CHANNEL).received().stream()
                .map(Message::getPayload)
                .filter(p -> EventJson.read(p, io.portcullis.contracts.events.DeliveryRetryScheduled.class)
                        .messageId().equals(id)).toList();
        assertEquals(1, queued.size());
        assertEquals(until, EventJson.read(queued.get(0),
                io.portcullis.contracts.events.DeliveryRetryScheduled.class).notBefore());
        DeliveryEvent deferred = events(id).get(0);
        assertEquals(DeliveryStatus.DEFERRED, deferred.status());
        assertEquals("policy defer until " + until, deferred.reply());

        // the test profile holds a retry record at most 500 ms (queue-retry-max-delay): the 1.5 s deferral moves
        // forward in hops, each re-published unchanged; feed every record back as Kafka would
        int fed = 0;
        while (!Files.exists(file) && fed < 10) {
            List<byte[]> records = connector.<byte[]>sink(KafkaDeliveryRetryPublisher.CHANNEL).received().stream()
                    .map(Message::getPayload)
                    .filter(p -> EventJson.read(p, io.portcullis.contracts.events.DeliveryRetryScheduled.class)
                            .messageId().equals(id)).toList();
            byte[] next = records.get(records.size() - 1);
            assertEquals(until, EventJson.read(next, io.portcullis.contracts.events.DeliveryRetryScheduled.class)
                    .notBefore(), "every hop keeps the window");
            AtomicReference<String> retrySettled = new AtomicReference<>();
            connector.<Message<byte[]>>source(RetryConsumer.CHANNEL).send(tracked(next, retrySettled));
            await().atMost(Duration.ofSeconds(20)).until(() -> retrySettled.get() != null);
            assertEquals("ack", retrySettled.get());
            fed++;
        }
        assertTrue(Files.exists(file), "delivered once the window opened");
        assertTrue(fed >= 2, "at least one hop before delivery, fed " + fed);
        assertFalse(Instant.now().isBefore(until));
        assertEquals(DeliveryStatus.DELIVERED, events(id).get(events(id).size() - 1).status());
    }

    @Test
    void noticesGoThroughTheDsnPathWithTheNullSenderAndOurHeaderFieldsUnchanged() throws Exception {
        String id = "T" + UUID.randomUUID().toString().replace("-", "");
        VerdictIssued v = withGroup(id, body("x"), new io.portcullis.contracts.events.RecipientDecision(
                List.of("b@example.com"), Action.QUARANTINE, "dlp", Modifications.NONE, null, List.of(), null,
                List.of(), List.of(new io.portcullis.contracts.events.Notification("dlp", "default",
                        List.of("sender", "ops@example.com"))), List.of("dlp")));
        AtomicReference<String> settled = new AtomicReference<>();

        connector.<Message<byte[]>>source(VerdictConsumer.CHANNEL).send(tracked(EventJson.write(v), settled));

        await().atMost(Duration.ofSeconds(20)).until(() -> settled.get() != null);
        assertEquals("ack", settled.get());
        List<Path> notices;
        try (var files = Files.list(sink.dir())) {
            notices = files.filter(f -> f.toString().endsWith(".eml")).filter(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1)
                            .contains(NotificationBuilder.ABOUT_HEADER + ": " + id + "\r\n");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
        }
        assertEquals(2, notices.size(), "one to the sender, one to ops");
        byte[] raw = Files.readAllBytes(notices.get(0));
        org.apache.james.mime4j.dom.Message m = AttachmentStripperTest.parse(raw);
        assertEquals("Portcullis policy notice: QUARANTINE for \"quarterly  Bcc: x@example.net\"", m.getSubject());
        assertTrue(m.getHeader().getFields("Bcc").isEmpty(), "no injected header field");
        assertEquals("default", m.getHeader().getField(NotificationBuilder.MARKER_HEADER).getBody());
        assertTrue(AttachmentStripperTest.text(m).contains("Message:    " + id), AttachmentStripperTest.text(m));
        assertFalse(Files.exists(sink.dir().resolve(id + ".eml")), "the quarantined message itself is not delivered");
    }
}
