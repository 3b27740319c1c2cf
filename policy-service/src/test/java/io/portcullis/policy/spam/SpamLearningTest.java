package io.portcullis.policy.spam;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.SpamFeedback;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.messaging.OutboxRelay;
import io.portcullis.policy.messaging.QuarantineReleasedConsumer;
import io.portcullis.policy.messaging.SpamFeedbackConsumer;
import io.portcullis.policy.storage.InMemoryObjectStore;
import io.portcullis.spam.LearnedCounts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class SpamLearningTest {
    private static final String FEEDBACK_BUCKET = "portcullis-feedback";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    InMemoryObjectStore store;

    @Inject
    AgroalDataSource dataSource;

    private InMemorySink<byte[]> outbox;
    private InMemorySink<byte[]> feedbackOut;
    private String tenant;

    @BeforeEach
    void setUp() {
        store.failing(false);
        store.createBucketIfMissing("portcullis-quarantine");
        outbox = connector.sink(OutboxRelay.CHANNEL);
        feedbackOut = connector.sink(FeedbackIntake.CHANNEL);
        outbox.clear();
        feedbackOut.clear();
        tenant = "t" + UUID.randomUUID().toString().substring(0, 8); // a fresh model per test: sequences start at 0
    }

    @AfterEach
    void tearDown() {
        store.failing(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows() == 0);
    }

    static byte[] mail(String subject, String body) {
        return ("From: Club <news@club.example.net>\r\nTo: member@example.org\r\nSubject: " + subject
                + "\r\nContent-Type: text/plain\r\n\r\n" + body + "\r\nhttp://club.example.net/prize\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private SpamFeedback feedback(String messageId, SpamFeedback.Label label, byte[] body) throws Exception {
        return new SpamFeedback(UUID.randomUUID().toString(), messageId, tenant, Instant.now(), label,
                SpamFeedback.Source.USER_REPORT, "alice", BodyRef.inline(body, sha256(body)));
    }

    /** Sends a record to an incoming channel; completes with null on ack, with the failure on nack. */
    private CompletableFuture<Throwable> send(String channel, byte[] payload) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        connector.source(channel).send(Message.of(payload, () -> {
            done.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            done.complete(failure);
            return CompletableFuture.completedFuture(null);
        }));
        return done;
    }

    private static Throwable outcome(CompletableFuture<Throwable> done) throws Exception {
        return done.get(30, TimeUnit.SECONDS);
    }

    private List<Message<byte[]>> modelRecords() {
        return outbox.received().stream().<Message<byte[]>>map(m -> m)
                .filter(m -> Topics.SPAM_MODEL.equals(
                        m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getTopic()))
                .filter(m -> tenant.equals(EventJson.read(m.getPayload(), SpamModelUpdated.class).tenant()))
                .toList();
    }

    private List<SpamModelUpdated> updates(int atLeast) {
        await().atMost(Duration.ofSeconds(30)).until(() -> modelRecords().size() >= atLeast);
        return modelRecords().stream().map(m -> EventJson.read(m.getPayload(), SpamModelUpdated.class)).toList();
    }

    private long outboxRows() throws Exception {
        return queryLong("SELECT count(*) FROM policy.outbox", null);
    }

    private long sequence() throws Exception {
        return queryLong("SELECT coalesce(max(sequence), 0) FROM policy.spam_model_state WHERE tenant = ?", tenant);
    }

    private long queryLong(String sql, String param) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (param != null) {
                s.setString(1, param);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theSameFeedbackTwiceIsLearnedOnceWithOneUpdateAndSequencePlusOne() throws Exception {
        byte[] body = mail("prize draw", "winner of the prize draw");
        byte[] event = EventJson.write(feedback("m-once", SpamFeedback.Label.SPAM, body));
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL, event)));
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL, event)));
        // a different judgement (new feedback id) with the same label on the same message is also a no-op
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL,
                EventJson.write(feedback("m-once", SpamFeedback.Label.SPAM, body)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows() == 0);
        List<SpamModelUpdated> updates = updates(1);
        assertEquals(1, updates.size(), "one update only");
        assertEquals(1, updates.get(0).sequence());
        assertEquals(1, sequence());
    }

    @Test
    void theOutboxEventCarriesTheMessagesTokenHashesKeyedByTenant() throws Exception {
        byte[] body = mail("prize draw", "winner of the prize draw");
        SpamFeedback f = feedback("m-content", SpamFeedback.Label.SPAM, body);
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL, EventJson.write(f))));
        SpamModelUpdated u = updates(1).get(0);
        assertEquals(tenant, u.tenant());
        assertEquals(1, u.sequence());
        assertEquals(f.feedbackId(), u.feedbackId());
        assertEquals("m-content", u.messageId());
        assertEquals(1, u.spamMessagesDelta());
        assertEquals(0, u.hamMessagesDelta());
        long[] expected = LearnedCounts.tokenHashes(body);
        assertArrayEquals(expected, u.tokens().stream().mapToLong(SpamModelUpdated.TokenDelta::hash).toArray());
        assertTrue(u.tokens().stream().allMatch(t -> t.spam() == 1 && t.ham() == 0));
        Message<byte[]> record = modelRecords().get(0);
        assertEquals(tenant, record.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());

        // the whole learned state, as scanners fetch it
        given().queryParam("tenant", tenant).get("/api/v1/spam/learned").then().statusCode(200)
                .body("tenant", equalTo(tenant)).body("sequence", equalTo(1))
                .body("spamMessages", equalTo(1)).body("hamMessages", equalTo(0))
                .body("tokens.size()", equalTo(expected.length))
                .body("tokens[0][0]", equalTo(expected[0])).body("tokens[0][1]", equalTo(1))
                .body("tokens[0][2]", equalTo(0));
        given().get("/api/v1/spam/learned").then().statusCode(200).body("shared", equalTo(false))
                .body("models.find { it.tenant == '" + tenant + "' }.sequence", equalTo(1));
    }

    @Test
    void theOtherLabelReversesTheEarlierJudgementThenLearns() throws Exception {
        byte[] body = mail("club news", "the club newsletter with the prize draw");
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL,
                EventJson.write(feedback("m-rev", SpamFeedback.Label.SPAM, body)))));
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL,
                EventJson.write(feedback("m-rev", SpamFeedback.Label.HAM, body)))));
        List<SpamModelUpdated> u = updates(2);
        assertEquals(List.of(1L, 2L), u.stream().map(SpamModelUpdated::sequence).toList());
        SpamModelUpdated reversal = u.get(1);
        assertEquals(-1, reversal.spamMessagesDelta());
        assertEquals(1, reversal.hamMessagesDelta());
        assertTrue(reversal.tokens().stream().allMatch(t -> t.spam() == -1 && t.ham() == 1), "" + reversal);

        // applying both updates in order gives exactly "ham only"
        LearnedCounts applied = LearnedCounts.EMPTY;
        for (SpamModelUpdated x : u) {
            applied = applied.apply(x.sequence(), x.spamMessagesDelta(), x.hamMessagesDelta(), x.tokens().stream()
                    .map(t -> new LearnedCounts.TokenDelta(t.hash(), t.spam(), t.ham())).toList());
        }
        long[] hashes = LearnedCounts.tokenHashes(body);
        LearnedCounts hamOnly = LearnedCounts.EMPTY.apply(2, 0, 1, LearnedCounts.deltas(hashes, false, 1));
        assertEquals(hamOnly, applied);
        given().queryParam("tenant", tenant).get("/api/v1/spam/learned").then().statusCode(200)
                .body("sequence", equalTo(2)).body("spamMessages", equalTo(0)).body("hamMessages", equalTo(1))
                .body("tokens.size()", equalTo(hashes.length)).body("tokens[0][1]", equalTo(0))
                .body("tokens[0][2]", equalTo(1));
        // and back to spam once more: sequence 3
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL,
                EventJson.write(feedback("m-rev", SpamFeedback.Label.SPAM, body)))));
        assertEquals(3, updates(3).get(2).sequence());
    }

    @Test
    void aReleaseFromQuarantineIsLearnedAsHamOnceAndOtherQuarantineEventsAreIgnored() throws Exception {
        byte[] body = mail("invoice", "your invoice for the club membership");
        String key = "2026/11/27/m-rel.eml";
        store.putBytes("portcullis-quarantine", key, body);
        BodyRef ref = BodyRef.stored("portcullis-quarantine", key, body.length, sha256(body));
        Envelope env = new Envelope("news@club.example.net", List.of("member@example.org"), "mx", "192.0.2.1", false);
        QuarantineEvent quarantined = new QuarantineEvent("m-rel", tenant, Instant.now(),
                QuarantineEvent.Type.QUARANTINED, env, ref, "BAYES_99", "system");
        QuarantineEvent released = new QuarantineEvent("m-rel", tenant, Instant.now(),
                QuarantineEvent.Type.RELEASED, env, ref, null, "bob");
        assertNull(outcome(send(QuarantineReleasedConsumer.CHANNEL, EventJson.write(quarantined))));
        assertNull(outcome(send(QuarantineReleasedConsumer.CHANNEL, EventJson.write(released))));
        assertNull(outcome(send(QuarantineReleasedConsumer.CHANNEL, EventJson.write(released)))); // redelivery
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows() == 0);
        List<SpamModelUpdated> u = updates(1);
        assertEquals(1, u.size());
        assertEquals("release:m-rel", u.get(0).feedbackId());
        assertEquals(0, u.get(0).spamMessagesDelta());
        assertEquals(1, u.get(0).hamMessagesDelta());
        assertTrue(u.get(0).tokens().stream().allMatch(t -> t.spam() == 0 && t.ham() == 1));
        assertEquals("bob", queryString("SELECT actor FROM policy.spam_learned_message WHERE tenant = ?"));
        assertEquals("RELEASE", queryString("SELECT source FROM policy.spam_learned_message WHERE tenant = ?"));
    }

    private String queryString(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void unlearnableRecordsGoToTheDeadLetterTopicWithAClearReasonAndLearnNothing() throws Exception {
        byte[] big = new byte[70 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        byte[] large = ("Subject: big\r\n\r\n" + new String(big, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII);
        assertTrue(outcome(send(SpamFeedbackConsumer.CHANNEL,
                EventJson.write(feedback("m-big", SpamFeedback.Label.SPAM, large)))).getMessage()
                .contains("larger than the learning limit"));

        byte[] body = mail("x", "y");
        SpamFeedback missing = new SpamFeedback("f-missing", "m-missing", tenant, Instant.now(),
                SpamFeedback.Label.SPAM, SpamFeedback.Source.USER_REPORT, "alice",
                BodyRef.stored(FEEDBACK_BUCKET, "2026/01/01/nope.eml", body.length, sha256(body)));
        store.createBucketIfMissing(FEEDBACK_BUCKET);
        assertTrue(outcome(send(SpamFeedbackConsumer.CHANNEL, EventJson.write(missing))).getMessage()
                .contains("not found"));

        store.putBytes("portcullis-signatures", "bundles/x.tar", body);
        SpamFeedback foreign = new SpamFeedback("f-foreign", "m-foreign", tenant, Instant.now(),
                SpamFeedback.Label.SPAM, SpamFeedback.Source.USER_REPORT, "alice",
                BodyRef.stored("portcullis-signatures", "bundles/x.tar", body.length, sha256(body)));
        assertTrue(outcome(send(SpamFeedbackConsumer.CHANNEL, EventJson.write(foreign))).getMessage()
                .contains("refused"));

        SpamFeedback corrupt = new SpamFeedback("f-corrupt", "m-corrupt", tenant, Instant.now(),
                SpamFeedback.Label.SPAM, SpamFeedback.Source.USER_REPORT, "alice",
                BodyRef.inline(body, sha256("other".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(outcome(send(SpamFeedbackConsumer.CHANNEL, EventJson.write(corrupt))).getMessage()
                .contains("SHA-256"));

        SpamFeedback noTenant = new SpamFeedback("f-nt", "m-nt", null, Instant.now(), SpamFeedback.Label.SPAM,
                SpamFeedback.Source.USER_REPORT, "alice", BodyRef.inline(body, sha256(body)));
        assertTrue(outcome(send(SpamFeedbackConsumer.CHANNEL, EventJson.write(noTenant))).getMessage()
                .contains("tenant"));

        assertTrue(outcome(send(SpamFeedbackConsumer.CHANNEL, "{not json".getBytes(StandardCharsets.US_ASCII)))
                .getMessage().contains("unparseable"));
        assertTrue(outcome(send(QuarantineReleasedConsumer.CHANNEL, new byte[0])).getMessage().contains("empty"));
        assertEquals(0, sequence(), "nothing learned");
    }

    @Test
    void anObjectStorageOutageIsRetriedUntilTheMessageIsLearnedNeverDropped() throws Exception {
        byte[] body = mail("outage", "learned after the outage");
        store.createBucketIfMissing(FEEDBACK_BUCKET);
        store.putBytes(FEEDBACK_BUCKET, "2026/11/27/outage.eml", body);
        SpamFeedback f = new SpamFeedback("f-outage", "m-outage", tenant, Instant.now(), SpamFeedback.Label.SPAM,
                SpamFeedback.Source.ADMIN, "admin",
                BodyRef.stored(FEEDBACK_BUCKET, "2026/11/27/outage.eml", body.length, sha256(body)));
        store.failing(true);
        CompletableFuture<Throwable> done = send(SpamFeedbackConsumer.CHANNEL, EventJson.write(f));
        Thread.sleep(400); // several retries at 50..200 ms
        assertFalse(done.isDone(), "not acked or nacked while S3 is down");
        store.failing(false);
        assertNull(outcome(done));
        assertEquals(1, updates(1).get(0).sequence());
    }

    @Inject
    SpamLearner learner;

    @Test
    void concurrentLearnersOfOneTenantGetGapFreeSequencesInOutboxOrder() throws Exception {
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<SpamLearningStore.Result>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] body = mail("concurrent " + i, "message number " + i);
                SpamFeedback f = feedback("m-c" + i, i % 2 == 0 ? SpamFeedback.Label.SPAM : SpamFeedback.Label.HAM,
                        body);
                results.add(pool.submit(() -> learner.learn(f.messageId(), Judgement.of(f))));
            }
            java.util.Set<Long> sequences = new java.util.TreeSet<>();
            for (var r : results) {
                SpamLearningStore.Result result = r.get(60, TimeUnit.SECONDS);
                assertEquals(SpamLearningStore.Outcome.LEARNED, result.outcome());
                sequences.add(result.sequence());
            }
            assertEquals(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList(), List.copyOf(sequences));
        } finally {
            pool.shutdownNow();
        }
        List<SpamModelUpdated> u = updates(n);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList(),
                u.stream().map(SpamModelUpdated::sequence).toList(), "published in sequence order");
        given().queryParam("tenant", tenant).get("/api/v1/spam/learned").then().statusCode(200)
                .body("sequence", equalTo(n)).body("spamMessages", equalTo(n / 2)).body("hamMessages", equalTo(n / 2));
    }

    // --- REST: POST /api/v1/spam/feedback ---

    private static ValidatableResponse post(String query, byte[] body, String contentType) {
        return given().contentType(contentType).body(body).post("/api/v1/spam/feedback" + query).then();
    }

    @Test
    void aReportIsStoredInS3FirstThenPublishedAndTheLearnerLearnsIt() throws Exception {
        byte[] body = mail("cheap pills", "cheap pills winner");
        String id = post("?label=spam&tenant=" + tenant + "&actor=carol", body, "message/rfc822").statusCode(202)
                .body("messageId", equalTo("report-" + sha256(body).substring(0, 32)))
                .body("tenant", equalTo(tenant)).body("label", equalTo("spam"))
                .body("bucket", equalTo(FEEDBACK_BUCKET)).body("key", matchesPattern("^\\d{4}/\\d{2}/\\d{2}/.+\\.eml$"))
                .body("size", equalTo(body.length)).body("sha256", equalTo(sha256(body)))
                .extract().path("feedbackId");
        await().atMost(Duration.ofSeconds(10)).until(() -> feedbackOut.received().size() == 1);
        Message<byte[]> record = feedbackOut.received().get(0);
        SpamFeedback event = EventJson.read(record.getPayload(), SpamFeedback.class);
        assertEquals(id, event.feedbackId());
        assertEquals(SpamFeedback.Source.USER_REPORT, event.source());
        assertEquals("carol", event.actor());
        assertEquals(event.messageId(), record.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        assertArrayEquals(body, store.get(FEEDBACK_BUCKET, event.body().key()).orElseThrow());

        // what Kafka would deliver to the learner
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL, record.getPayload())));
        assertEquals(1, updates(1).get(0).spamMessagesDelta());
        // the same file reported again: same message id, learned once
        post("?label=spam&tenant=" + tenant, body, "application/octet-stream").statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> feedbackOut.received().size() == 2);
        assertNull(outcome(send(SpamFeedbackConsumer.CHANNEL, feedbackOut.received().get(1).getPayload())));
        assertEquals(1, sequence());
    }

    @Test
    void badParametersAreRefusedWith400NamingTheField() {
        byte[] body = mail("x", "y");
        post("", body, "message/rfc822").statusCode(400).body("field", equalTo("label"))
                .body("error", containsString("spam or ham"));
        post("?label=maybe", body, "message/rfc822").statusCode(400).body("field", equalTo("label"));
        post("?label=spam&label=ham", body, "message/rfc822").statusCode(400).body("field", equalTo("label"));
        post("?label=spam&tenant=../etc", body, "message/rfc822").statusCode(400).body("field", equalTo("tenant"));
        post("?label=spam&tenant=*", body, "message/rfc822").statusCode(400).body("field", equalTo("tenant"));
        post("?label=spam&tenant=", body, "message/rfc822").statusCode(400).body("field", equalTo("tenant"));
        post("?label=spam&messageId=a/b", body, "message/rfc822").statusCode(400)
                .body("field", equalTo("messageId"));
        post("?label=spam&messageId=" + "m".repeat(300), body, "message/rfc822").statusCode(400)
                .body("field", equalTo("messageId"));
        post("?label=spam&source=release", body, "message/rfc822").statusCode(400).body("field", equalTo("source"));
        post("?label=spam&actor=a%20b", body, "message/rfc822").statusCode(400).body("field", equalTo("actor"));
        given().queryParam("tenant", "a b").get("/api/v1/spam/learned").then().statusCode(400)
                .body("field", equalTo("tenant"));
        assertEquals(0, feedbackOut.received().size(), "nothing published");
    }

    @Test
    void emptyHostileAndOversizedBodiesAreRefusedAndNothingIsStoredOrPublished() {
        long before = store.objectCount(FEEDBACK_BUCKET);
        post("?label=spam", new byte[0], "message/rfc822").statusCode(400).body("field", equalTo("body"))
                .body("error", containsString("empty"));
        byte[] binary = new byte[4096];
        new java.util.Random(1).nextBytes(binary);
        binary[0] = 0x7f;
        post("?label=spam", binary, "message/rfc822").statusCode(400)
                .body("error", containsString("not an RFC 822 message"));
        post("?label=spam", "<html><body>hello</body></html>".getBytes(StandardCharsets.US_ASCII), "message/rfc822")
                .statusCode(400).body("error", containsString("header field"));
        post("?label=spam", "Subject: a\0b\r\n\r\nbody".getBytes(StandardCharsets.ISO_8859_1), "message/rfc822")
                .statusCode(400).body("error", containsString("NUL"));
        post("?label=spam", "From nobody".getBytes(StandardCharsets.US_ASCII), "message/rfc822").statusCode(400);
        byte[] big = new byte[65 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        System.arraycopy("Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 14);
        post("?label=spam", big, "message/rfc822").statusCode(413).body("field", equalTo("body"))
                .body("error", containsString("larger than the limit of 65536 bytes"));
        post("?label=spam", mail("x", "y"), "application/json").statusCode(415);
        assertEquals(before, store.objectCount(FEEDBACK_BUCKET));
        assertEquals(0, feedbackOut.received().size());
    }

    @Test
    void objectStorageDownIs503AndNothingIsPublished() {
        store.failing(true);
        post("?label=ham", mail("x", "y"), "message/rfc822").statusCode(503)
                .body("error", containsString("object storage unavailable"));
        assertEquals(0, feedbackOut.received().size());
    }
}
