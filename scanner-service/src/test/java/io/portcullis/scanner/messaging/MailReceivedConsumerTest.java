package io.portcullis.scanner.messaging;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.GTUBE;
import static io.portcullis.scanner.support.TestMessages.plain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.MailReceived;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MailReceivedConsumerTest {
    private static final Envelope ENVELOPE = new Envelope("alice@example.net", List.of("bob@example.com"),
            "client.example.net", "192.0.2.1", true);

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    InMemoryBodyStore store;

    @Inject
    MailReceivedConsumer consumer;

    private InMemorySource<Object> received;
    private InMemorySink<byte[]> verdicts;

    @BeforeEach
    void setUp() {
        received = connector.source("mail-received");
        verdicts = connector.sink("mail-verdict");
        verdicts.clear();
        store.clear();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static MailReceived mail(String id, BodyRef body) {
        return new MailReceived(id, "default", Instant.parse("2026-01-02T03:04:05Z"), "edge-1", ENVELOPE, body);
    }

    private static String id() {
        return "Q" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private Optional<Message<byte[]>> verdictMessage(String messageId) {
        return verdicts.received().stream().map(m -> (Message<byte[]>) m)
                .filter(m -> EventJson.read(m.getPayload(), VerdictIssued.class).messageId().equals(messageId))
                .findFirst();
    }

    private VerdictIssued awaitVerdict(String messageId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> verdictMessage(messageId).isPresent());
        return EventJson.read(verdictMessage(messageId).orElseThrow().getPayload(), VerdictIssued.class);
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

    @Test
    void inlineEicarGetsAQuarantineVerdictWithTheSameBodyRefAndEnvelope() throws Exception {
        String id = id();
        byte[] body = plain("virus inside", EICAR);
        BodyRef ref = BodyRef.inline(body, sha256(body));
        Tracked in = Tracked.of(EventJson.write(mail(id, ref)));
        received.send(in.message());

        VerdictIssued v = awaitVerdict(id);
        assertEquals(Action.QUARANTINE, v.action());
        assertTrue(v.virus());
        assertEquals("virus-quarantine", v.ruleId());
        assertEquals("default", v.tenant());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), v.receivedAt());
        assertEquals(ENVELOPE, v.envelope());
        assertArrayEquals(ref.inline(), v.body().inline());
        assertEquals(ref.sha256(), v.body().sha256());
        assertEquals(ref.size(), v.body().size());
        assertNull(v.body().bucket());
        assertEquals("virus inside", v.subject());
        assertEquals("<m1@test>", v.headerMessageId());
        assertEquals(0, v.policyVersion());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals("AV_TEST")));

        Message<byte[]> out = verdictMessage(id).orElseThrow();
        OutgoingKafkaRecordMetadata<?> meta = out.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(id, meta.getKey());
        assertEquals(id, new String(meta.getHeaders().lastHeader(Topics.HEADER_MESSAGE_ID).value(),
                StandardCharsets.UTF_8));
        in.acked().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(in.nacked().isDone());
    }

    @Test
    void inlineGtubeGetsATagVerdictWithModifications() throws Exception {
        String id = id();
        byte[] body = plain("offer", GTUBE);
        received.send(EventJson.write(mail(id, BodyRef.inline(body, sha256(body)))));
        VerdictIssued v = awaitVerdict(id);
        assertEquals(Action.TAG, v.action());
        assertTrue(v.spam());
        assertEquals(1000, v.findings().stream().filter(f -> f.symbol().equals("GTUBE")).findFirst().orElseThrow()
                .score());
        assertEquals(1000 + bayesScore(v), v.spamScore(), "GTUBE plus the classifier's contribution");
        assertEquals("[SPAM] ", v.modifications().subjectPrefix());
    }

    @Test
    void bodyStoredInS3IsLoadedAndTheVerdictKeepsTheReference() throws Exception {
        String id = id();
        byte[] body = plain("clean", "hello there");
        store.put("portcullis-spool", "2026/01/02/" + id + ".eml", body);
        BodyRef ref = BodyRef.stored("portcullis-spool", "2026/01/02/" + id + ".eml", body.length, sha256(body));
        received.send(EventJson.write(mail(id, ref)));
        VerdictIssued v = awaitVerdict(id);
        assertEquals(Action.DELIVER, v.action());
        assertEquals(List.of(), v.findings().stream().filter(f -> !f.symbol().startsWith("BAYES_")).toList());
        assertEquals(1, v.findings().size(), "one BAYES_xx finding: " + v.findings());
        assertTrue(v.engineVersions().get("bayes").matches("[0-9a-f]{8}-\\d{4}-\\d{2}-\\d{2}"),
                "the verdict records the model version: " + v.engineVersions());
        assertEquals("portcullis-spool", v.body().bucket());
        assertEquals(ref.key(), v.body().key());
        assertNull(v.body().inline());
    }

    @Test
    void missingS3BodyIsNackedAndNeverGetsAVerdict() throws Exception {
        String id = id();
        Tracked in = Tracked.of(EventJson.write(mail(id, BodyRef.stored("portcullis-spool", "gone.eml", 10, null))));
        received.send(in.message());
        Throwable cause = in.nacked().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(cause.getMessage().contains("missing"), cause.toString());
        assertFalse(in.acked().isDone());
        assertTrue(verdictMessage(id).isEmpty());
    }

    @Test
    void s3OutageIsRetriedThenScannedNotDeliveredUnscanned() throws Exception {
        String id = id();
        byte[] body = plain("late", EICAR);
        store.put("portcullis-spool", id + ".eml", body);
        store.failNext(2);
        received.send(EventJson.write(mail(id, BodyRef.stored("portcullis-spool", id + ".eml", body.length,
                sha256(body)))));
        VerdictIssued v = awaitVerdict(id);
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals(3, store.opens());
    }

    @Test
    void bodyAboveTheQueuedLimitIsScannedInPartAndNeverDelivered() throws Exception {
        // %test limit: 200000 bytes
        String id = id();
        byte[] body = plain("huge", "z".repeat(300_000));
        store.put("portcullis-spool", id + ".eml", body);
        received.send(EventJson.write(mail(id, BodyRef.stored("portcullis-spool", id + ".eml", body.length,
                sha256(body)))));
        VerdictIssued v = awaitVerdict(id);
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals("scan-failure-quarantine", v.ruleId());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals("MIME_LIMIT")
                && f.detail().contains("larger than the scan limit")), v.findings().toString());
    }

    @Test
    void malformedRecordIsNackedAndTheNextRecordStillGetsItsVerdict() throws Exception {
        Tracked poison = Tracked.of("{not json".getBytes(StandardCharsets.UTF_8));
        received.send(poison.message());
        Throwable cause = poison.nacked().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(cause instanceof IllegalArgumentException, cause.toString());
        Tracked noBody = Tracked.of("{\"messageId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        received.send(noBody.message());
        noBody.nacked().get(20, java.util.concurrent.TimeUnit.SECONDS);

        String id = id();
        byte[] body = plain("after poison", "fine");
        received.send(EventJson.write(mail(id, BodyRef.inline(body, sha256(body)))));
        assertEquals(Action.DELIVER, awaitVerdict(id).action());
    }

    @Test
    void incomingIsAckedOnlyWhenTheVerdictIsAcked() throws Exception {
        byte[] body = plain("direct", "text");
        AtomicBoolean acked = new AtomicBoolean();
        AtomicReference<Throwable> nacked = new AtomicReference<>();
        Message<byte[]> in = Message.of(EventJson.write(mail(id(), BodyRef.inline(body, sha256(body)))), () -> {
            acked.set(true);
            return CompletableFuture.completedFuture(null);
        }, t -> {
            nacked.set(t);
            return CompletableFuture.completedFuture(null);
        });
        Message<byte[]> out = consumer.process(in);
        assertFalse(acked.get(), "not acked while the verdict is unsent");
        out.ack().toCompletableFuture().get();
        assertTrue(acked.get(), "acked with the verdict");

        AtomicBoolean acked2 = new AtomicBoolean();
        AtomicReference<Throwable> nacked2 = new AtomicReference<>();
        Message<byte[]> in2 = Message.of(EventJson.write(mail(id(), BodyRef.inline(body, sha256(body)))), () -> {
            acked2.set(true);
            return CompletableFuture.completedFuture(null);
        }, t -> {
            nacked2.set(t);
            return CompletableFuture.completedFuture(null);
        });
        Message<byte[]> out2 = consumer.process(in2);
        out2.nack(new IllegalStateException("broker refused")).toCompletableFuture().get();
        assertFalse(acked2.get(), "a verdict Kafka refused does not commit the incoming record");
        assertEquals("broker refused", nacked2.get().getMessage());
        assertNull(nacked.get());
    }

    @Test
    void policyChangedRecordsAreAckedEvenWhenUnparseable() throws Exception {
        InMemorySource<Object> changes = connector.source("policy-changed");
        Tracked good = Tracked.of(EventJson.write(new io.portcullis.contracts.events.PolicyChanged("default",
                Instant.now(), 9, "rules")));
        Tracked bad = Tracked.of("garbage".getBytes(StandardCharsets.UTF_8));
        changes.send(good.message());
        changes.send(bad.message());
        good.acked().get(10, java.util.concurrent.TimeUnit.SECONDS);
        bad.acked().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The Bayes engine's contribution to a verdict's spam score (one BAYES_xx finding per message). */
    private static double bayesScore(VerdictIssued v) {
        List<Finding> bayes = v.findings().stream()
                .filter(f -> f.symbol().startsWith("BAYES_") && f.category() == Category.SPAM).toList();
        assertEquals(1, bayes.size(), v.findings().toString());
        return bayes.get(0).score();
    }
}
