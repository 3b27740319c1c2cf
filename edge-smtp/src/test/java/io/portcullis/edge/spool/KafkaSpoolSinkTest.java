package io.portcullis.edge.spool;

import io.portcullis.edge.storage.InMemoryObjectStore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.MailReceived;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.smtp.AcceptedMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KafkaSpoolSinkTest {

    static final Instant AT = Instant.parse("2026-03-04T05:06:07Z");
    static final SpoolSettings SETTINGS = new SpoolSettings("portcullis-spool", 100, "default", "edge-7",
            Duration.ofSeconds(5));

    private MockProducer<String, byte[]> producer;
    private InMemoryObjectStore store;
    private ExecutorService workers;
    private KafkaSpoolSink sink;

    @BeforeEach
    void setUp() {
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        store = new InMemoryObjectStore();
        workers = Executors.newFixedThreadPool(2);
        sink = new KafkaSpoolSink(producer, store, workers, W3CTraceContextPropagator.getInstance(), SETTINGS);
    }

    @AfterEach
    void tearDown() {
        workers.shutdownNow();
    }

    static AcceptedMessage message(String id, int size) {
        byte[] bytes = "x".repeat(size).getBytes(StandardCharsets.US_ASCII);
        return new AcceptedMessage(id, new Envelope("a@remote.test", List.of("u@example.com"), "helo.test",
                "192.0.2.1", true), AT, bytes);
    }

    private ProducerRecord<String, byte[]> awaitRecord() {
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        return producer.history().get(0);
    }

    @Test
    void inlineBodyCompletesOnlyAfterTheBrokerAcknowledges() throws Exception {
        AcceptedMessage m = message("ID000000000000001", 100);
        CompletableFuture<String> result = sink.accept(m).toCompletableFuture();
        ProducerRecord<String, byte[]> record = awaitRecord();
        assertFalse(result.isDone(), "not durable before the ack");

        assertEquals(Topics.MAIL_RECEIVED, record.topic());
        assertEquals(m.queueId(), record.key());
        assertEquals(m.queueId(), new String(record.headers().lastHeader(Topics.HEADER_MESSAGE_ID).value(),
                StandardCharsets.UTF_8));
        MailReceived event = EventJson.read(record.value(), MailReceived.class);
        assertEquals(m.queueId(), event.messageId());
        assertEquals("default", event.tenant());
        assertEquals("edge-7", event.edgeNode());
        assertEquals(AT, event.receivedAt());
        assertEquals(m.envelope(), event.envelope());
        assertTrue(event.body().isInline());
        assertArrayEquals(m.bytes(), event.body().inline());
        assertEquals(100, event.body().size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(m.bytes())),
                event.body().sha256());
        assertTrue(store.objects.isEmpty());

        assertTrue(producer.completeNext());
        assertEquals(m.queueId(), result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void sendErrorFailsTheStage() {
        CompletableFuture<String> result = sink.accept(message("ID000000000000002", 10)).toCompletableFuture();
        awaitRecord();
        assertTrue(producer.errorNext(new TimeoutException("no ack within delivery.timeout.ms")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TimeoutException);
    }

    @Test
    void largeBodyIsStoredInObjectStorageFirstAndReferenced() throws Exception {
        AcceptedMessage m = message("ID000000000000003", 101);
        CompletableFuture<String> result = sink.accept(m).toCompletableFuture();
        ProducerRecord<String, byte[]> record = awaitRecord();
        String key = "2026/03/04/ID000000000000003.eml";
        assertArrayEquals(m.bytes(), store.objects.get("portcullis-spool/" + key), "written before the record");
        MailReceived event = EventJson.read(record.value(), MailReceived.class);
        assertNull(event.body().inline());
        assertEquals("portcullis-spool", event.body().bucket());
        assertEquals(key, event.body().key());
        assertEquals(101, event.body().size());
        producer.completeNext();
        assertEquals(m.queueId(), result.get(5, TimeUnit.SECONDS));
        assertTrue(store.objects.containsKey("portcullis-spool/" + key), "kept once durable");
    }

    @Test
    void storedBodyIsDeletedWhenKafkaRefusesTheRecord() {
        CompletableFuture<String> result = sink.accept(message("ID000000000000004", 500)).toCompletableFuture();
        awaitRecord();
        assertEquals(1, store.objects.size());
        producer.errorNext(new TimeoutException("broker down"));
        assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.objects.isEmpty());
    }

    @Test
    void objectStorageFailureFailsWithoutAnyRecord() {
        store.failPuts = true;
        CompletableFuture<String> result = sink.accept(message("ID000000000000005", 500)).toCompletableFuture();
        assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void synchronousSendFailureFailsTheStage() {
        producer.sendException = new IllegalStateException("producer closed");
        CompletableFuture<String> result = sink.accept(message("ID000000000000006", 10)).toCompletableFuture();
        assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void bucketIsCreatedBeforeTheFirstStoredBody() throws Exception {
        assertFalse(store.bucketExists("portcullis-spool"));
        CompletableFuture<String> result = sink.accept(message("ID000000000000007", 500)).toCompletableFuture();
        awaitRecord();
        producer.completeNext();
        result.get(5, TimeUnit.SECONDS);
        assertTrue(store.bucketExists("portcullis-spool"));
    }

    @Test
    void injectsTheTransactionTraceContextIntoRecordHeaders() throws Exception {
        SpanContext spanContext = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        AcceptedMessage plain = message("ID000000000000008", 10);
        AcceptedMessage traced = new AcceptedMessage(plain.queueId(), plain.envelope(), plain.receivedAt(),
                plain.bytes(), Context.root().with(Span.wrap(spanContext)));
        CompletableFuture<String> result = sink.accept(traced).toCompletableFuture();
        ProducerRecord<String, byte[]> record = awaitRecord();
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8));
        producer.completeNext();
        result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void objectKeyIsUtcDatePathAndId() {
        assertEquals("2026/12/31/ABC.eml", KafkaSpoolSink.objectKey(Instant.parse("2026-12-31T23:59:59Z"), "ABC"));
    }

    @Test
    void rejectsInlineLimitThatCannotFitAKafkaRecord() {
        assertThrows(IllegalArgumentException.class,
                () -> new SpoolSettings("b", 2_000_000, "t", "n", Duration.ofSeconds(5)));
    }
}
