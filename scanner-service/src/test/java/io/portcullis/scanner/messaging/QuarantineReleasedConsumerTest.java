package io.portcullis.scanner.messaging;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.GTUBE;
import static io.portcullis.scanner.support.TestMessages.plain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.scanner.release.ReleaseIds;
import io.portcullis.scanner.release.ReleaseVerdicts;
import io.portcullis.scanner.support.InMemoryBodyStore;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Releases from quarantine through the in-memory channels: RELEASED in, the rescan verdict out on the verdict topic's
 * channel. The verdict is what delivery and quarantine-service act on (see edge-smtp's ReleaseRescanDeliveryTest).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class QuarantineReleasedConsumerTest {
    private static final String BUCKET = "portcullis-quarantine";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    InMemoryBodyStore store;

    @Inject
    QuarantineReleasedConsumer consumer;

    private InMemorySource<Object> events;
    private InMemorySink<byte[]> verdicts;

    @BeforeEach
    void setUp() {
        events = connector.source(QuarantineReleasedConsumer.CHANNEL);
        verdicts = connector.sink(QuarantineReleasedConsumer.VERDICTS);
        verdicts.clear();
        store.clear();
    }

    /** A record whose ack and nack the test can observe. */
    record Tracked(Message<byte[]> message, CompletableFuture<Void> acked, CompletableFuture<Throwable> nacked) {
        static Tracked of(byte[] payload) {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            CompletableFuture<Throwable> nacked = new CompletableFuture<>();
            Message<byte[]> m = Message.of(payload, () -> {
                acked.complete(null);
                return CompletableFuture.completedFuture(null);
            }, t -> {
                nacked.complete(t);
                return CompletableFuture.completedFuture(null);
            });
            return new Tracked(m, acked, nacked);
        }
    }

    private static String id() {
        return "Q" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A quarantined copy in the store and the RELEASED event for some of its recipients. */
    private QuarantineEvent released(String id, byte[] body, String... recipients) throws Exception {
        String key = "2026/01/02/" + id + ".eml";
        store.put(BUCKET, key, body);
        return event(id, QuarantineEvent.Type.RELEASED, BodyRef.stored(BUCKET, key, body.length, sha256(body)),
                recipients);
    }

    private static QuarantineEvent event(String id, QuarantineEvent.Type type, BodyRef body, String... recipients) {
        return new QuarantineEvent(id, "default", Instant.parse("2026-01-03T00:00:00Z"), type,
                new Envelope("alice@example.net", List.of(recipients), "client.example.net", "192.0.2.1", true), body,
                "rule=spam-quarantine symbols=GTUBE", "bob@example.com");
    }

    private List<VerdictIssued> verdictsFor(String verdictId) {
        return verdicts.received().stream().map(m -> EventJson.read(m.getPayload(), VerdictIssued.class))
                .filter(v -> v.messageId().equals(verdictId)).toList();
    }

    private VerdictIssued awaitVerdict(String verdictId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !verdictsFor(verdictId).isEmpty());
        return verdictsFor(verdictId).get(0);
    }

    @Test
    void cleanReleaseOfSpamGetsADeliverVerdictForExactlyTheReleasedRecipients() throws Exception {
        String id = id();
        byte[] body = plain("cheap offer", GTUBE);
        QuarantineEvent ev = released(id, body, "bob@example.com");
        Tracked in = Tracked.of(EventJson.write(ev));
        events.send(in.message());

        String verdictId = ReleaseIds.verdictId(ev);
        VerdictIssued v = awaitVerdict(verdictId);
        assertNotEquals(id, v.messageId(), "a new id: the released item keeps its own");
        assertTrue(v.messageId().startsWith(id + ".r"), v.messageId());
        assertEquals(Action.DELIVER, v.action(), "GTUBE is spam, which the release overrode: " + v.findings());
        assertEquals(ReleaseVerdicts.RULE_ID, v.ruleId());
        assertFalse(v.spam());
        assertFalse(v.findings().stream().anyMatch(f -> f.category() == Category.SPAM), v.findings().toString());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals(ReleaseVerdicts.MARKER_SYMBOL)
                && f.category() == Category.INFO && !f.detail().contains("bob@")), v.findings().toString());
        assertEquals(1, v.decisions().size());
        RecipientDecision group = v.decisions().get(0);
        assertEquals(List.of("bob@example.com"), group.recipients());
        assertEquals(Action.DELIVER, group.action());
        assertTrue(group.bcc().isEmpty() && group.redirectTo().isEmpty() && group.modifications().isEmpty());
        assertEquals(List.of("bob@example.com"), v.envelope().recipients());
        assertEquals(ev.body(), v.body(), "delivery reads the quarantined copy");
        assertEquals("cheap offer", v.subject());
        assertEquals(0, v.policyVersion(), "no policy applied");
        Message<byte[]> out = verdicts.received().stream()
                .filter(m -> EventJson.read(m.getPayload(), VerdictIssued.class).messageId().equals(verdictId))
                .findFirst().orElseThrow();
        OutgoingKafkaRecordMetadata<?> meta = out.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(verdictId, meta.getKey());
        assertEquals(verdictId, new String(meta.getHeaders().lastHeader(Topics.HEADER_MESSAGE_ID).value(),
                StandardCharsets.UTF_8));
        in.acked().get(10, TimeUnit.SECONDS);
        assertFalse(in.nacked().isDone());
    }

    @Test
    void eicarFoundOnRescanGoesBackToQuarantineInTheVirusAreaNotToDelivery() throws Exception {
        String id = id();
        QuarantineEvent ev = released(id, plain("held by a rule", EICAR), "bob@example.com", "carol@example.com");
        events.send(EventJson.write(ev));

        VerdictIssued v = awaitVerdict(ReleaseIds.verdictId(ev));
        assertEquals(Action.QUARANTINE, v.action());
        assertTrue(v.virus());
        RecipientDecision group = v.decisions().get(0);
        assertEquals(Action.QUARANTINE, group.action());
        assertEquals(ReleaseVerdicts.VIRUS_AREA, group.quarantineArea());
        assertEquals(List.of("bob@example.com", "carol@example.com"), group.recipients());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals("AV_TEST")), v.findings().toString());
        assertTrue(v.engineVersions().containsKey("antivirus") || v.findings().stream()
                .anyMatch(f -> f.category() == Category.VIRUS), "scanned by the antivirus engine");
    }

    @Test
    void bodyCutAtTheScanLimitIsNotCleanAndGoesBackAsUnscannable() throws Exception {
        // %test max-queued-body-bytes: 200000
        String id = id();
        QuarantineEvent ev = released(id, plain("huge", "z".repeat(300_000)), "bob@example.com");
        events.send(EventJson.write(ev));
        VerdictIssued v = awaitVerdict(ReleaseIds.verdictId(ev));
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals(ReleaseVerdicts.UNSCANNABLE_AREA, v.decisions().get(0).quarantineArea());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals("MIME_LIMIT")));
    }

    @Test
    void bodyThatDoesNotMatchItsHashIsUnscannableNotClean() throws Exception {
        String id = id();
        byte[] body = plain("x", "fine");
        String key = "2026/01/02/" + id + ".eml";
        store.put(BUCKET, key, body);
        QuarantineEvent ev = event(id, QuarantineEvent.Type.RELEASED, BodyRef.stored(BUCKET, key, body.length,
                sha256("something else".getBytes(StandardCharsets.UTF_8))), "bob@example.com");
        events.send(EventJson.write(ev));
        VerdictIssued v = awaitVerdict(ReleaseIds.verdictId(ev));
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals(ReleaseVerdicts.UNSCANNABLE_AREA, v.decisions().get(0).quarantineArea());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals(ReleaseVerdicts.BODY_UNREADABLE)
                && f.category() == Category.FAILURE));
    }

    @Test
    void storageHiccupIsRetriedAndTheReleaseIsStillRescanned() throws Exception {
        String id = id();
        QuarantineEvent ev = released(id, plain("x", "fine"), "bob@example.com");
        store.failNext(2);
        events.send(EventJson.write(ev));
        VerdictIssued v = awaitVerdict(ReleaseIds.verdictId(ev));
        assertEquals(Action.DELIVER, v.action());
        assertEquals(3, store.opens());
    }

    @Test
    void duplicateReleasedRecordsGiveOneVerdict() throws Exception {
        String id = id();
        QuarantineEvent ev = released(id, plain("twice", "hello"), "bob@example.com");
        QuarantineEvent republished = new QuarantineEvent(ev.messageId(), ev.tenant(), ev.at().plusSeconds(5),
                ev.type(), ev.envelope(), ev.body(), ev.reason(), "another-admin");
        Tracked first = Tracked.of(EventJson.write(ev));
        Tracked sameRecord = Tracked.of(EventJson.write(ev));
        Tracked sameRelease = Tracked.of(EventJson.write(republished));
        events.send(first.message());
        events.send(sameRecord.message());
        String verdictId = ReleaseIds.verdictId(ev);
        awaitVerdict(verdictId);
        first.acked().get(10, TimeUnit.SECONDS);
        sameRecord.acked().get(10, TimeUnit.SECONDS);
        events.send(sameRelease.message());
        sameRelease.acked().get(10, TimeUnit.SECONDS);
        assertEquals(1, verdictsFor(verdictId).size(), "one verdict, so one delivery");
        assertFalse(first.nacked().isDone() || sameRecord.nacked().isDone() || sameRelease.nacked().isDone());

        QuarantineEvent otherRecipient = released(id, plain("twice", "hello"), "carol@example.com");
        events.send(EventJson.write(otherRecipient));
        awaitVerdict(ReleaseIds.verdictId(otherRecipient));
        assertEquals(1, verdictsFor(verdictId).size());
    }

    @Test
    void otherQuarantineEventsAreAcknowledgedWithoutAVerdict() throws Exception {
        String id = id();
        BodyRef ref = BodyRef.stored(BUCKET, "k/" + id, 1, null);
        Tracked quarantined = Tracked.of(EventJson.write(event(id, QuarantineEvent.Type.QUARANTINED, ref, "b@x.org")));
        Tracked deleted = Tracked.of(EventJson.write(event(id, QuarantineEvent.Type.DELETED, ref, "b@x.org")));
        events.send(quarantined.message());
        events.send(deleted.message());
        quarantined.acked().get(10, TimeUnit.SECONDS);
        deleted.acked().get(10, TimeUnit.SECONDS);
        assertTrue(verdicts.received().stream().noneMatch(m -> EventJson.read(m.getPayload(), VerdictIssued.class)
                .messageId().startsWith(id)));
    }

    @Test
    void poisonAndReleasesWithoutBodyOrRecipientsAreNacked() throws Exception {
        Tracked garbage = Tracked.of("{not json".getBytes(StandardCharsets.UTF_8));
        events.send(garbage.message());
        assertTrue(garbage.nacked().get(10, TimeUnit.SECONDS) instanceof IllegalArgumentException);
        Tracked noBody = Tracked.of(EventJson.write(event(id(), QuarantineEvent.Type.RELEASED, null, "b@x.org")));
        events.send(noBody.message());
        noBody.nacked().get(10, TimeUnit.SECONDS);
        Tracked noRecipients = Tracked.of(EventJson.write(event(id(), QuarantineEvent.Type.RELEASED,
                BodyRef.stored(BUCKET, "k", 1, null))));
        events.send(noRecipients.message());
        noRecipients.nacked().get(10, TimeUnit.SECONDS);
        assertFalse(garbage.acked().isDone() || noBody.acked().isDone() || noRecipients.acked().isDone());
    }

    @Test
    void releasedCopyThatIsGoneIsNackedNeverDelivered() throws Exception {
        String id = id();
        Tracked in = Tracked.of(EventJson.write(event(id, QuarantineEvent.Type.RELEASED,
                BodyRef.stored(BUCKET, "gone/" + id + ".eml", 10, null), "b@x.org")));
        events.send(in.message());
        Throwable cause = in.nacked().get(20, TimeUnit.SECONDS);
        assertTrue(cause.getMessage().contains("missing"), cause.toString());
        assertTrue(verdicts.received().stream().noneMatch(m -> EventJson.read(m.getPayload(), VerdictIssued.class)
                .messageId().startsWith(id)));
    }

    @Test
    void releaseIsAckedOnlyWhenItsVerdictIsAckedAndRetriedAfterANack() throws Exception {
        String id = id();
        QuarantineEvent ev = released(id, plain("direct", "text"), "bob@example.com");
        AtomicBoolean acked = new AtomicBoolean();
        AtomicReference<Throwable> nacked = new AtomicReference<>();
        Message<byte[]> in = Message.of(EventJson.write(ev), () -> {
            acked.set(true);
            return CompletableFuture.completedFuture(null);
        }, t -> {
            nacked.set(t);
            return CompletableFuture.completedFuture(null);
        });
        Message<byte[]> out = consumer.process(in);
        assertFalse(acked.get(), "not acked while the verdict is unsent");
        out.nack(new IllegalStateException("broker refused")).toCompletableFuture().get();
        assertFalse(acked.get());
        assertEquals("broker refused", nacked.get().getMessage());

        Message<byte[]> again = consumer.process(Message.of(EventJson.write(ev)));
        assertTrue(again != null, "a failed release is not remembered as done: the redelivery is rescanned");
        again.ack().toCompletableFuture().get();
        assertNull(consumer.process(Message.of(EventJson.write(ev))), "after an acknowledged verdict: a duplicate");
    }
}
