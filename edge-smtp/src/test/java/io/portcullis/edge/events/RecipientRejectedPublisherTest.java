package io.portcullis.edge.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.RecipientRejected;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.smtp.RecipientVerdict;
import io.portcullis.edge.smtp.RefusedRecipient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RecipientRejectedPublisherTest {

    static final Instant AT = Instant.parse("2026-11-27T09:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static RefusedRecipient refusal(String ip, int n, RecipientVerdict verdict) {
        return new RefusedRecipient("0MWYQ8A5M000RWCXP3", n, ip, "elsewhere.test", verdict, 550, AT);
    }

    private static MockProducer<String, byte[]> mock(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    private double count(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    @Test
    void publishesRelayDeniedKeyedByTheCanonicalClientIpWithOnlyTheDomain() {
        MockProducer<String, byte[]> producer = mock(true);
        RecipientRejectedPublisher publisher = new RecipientRejectedPublisher(producer, "edge-7", registry, 100);
        publisher.refused(refusal("::ffff:192.0.2.7", 4, RecipientVerdict.RELAY_DENIED));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertEquals(Topics.SMTP_EVENTS, record.topic());
        assertEquals("192.0.2.7", record.key());
        RecipientRejected event = EventJson.read(record.value(), RecipientRejected.class);
        assertEquals(new RecipientRejected("edge-7:0MWYQ8A5M000RWCXP3:4", "edge-7", AT, "192.0.2.7", "elsewhere.test",
                RecipientRejected.Reason.RELAY_DENIED, 550), event);
        assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains("@"), "never an address");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> count("portcullis.smtp.events.published", "reason", "relay_denied") == 1);
    }

    @Test
    void theSameRefusalAlwaysGetsTheSameEventId() {
        RecipientRejectedPublisher publisher = new RecipientRejectedPublisher(mock(true), "edge-7", registry, 100);
        RefusedRecipient r = refusal("192.0.2.7", 9, RecipientVerdict.UNKNOWN_USER);
        RecipientRejected first = publisher.toEvent(r).orElseThrow();
        RecipientRejected again = publisher.toEvent(r).orElseThrow();
        assertEquals(first.eventId(), again.eventId());
        assertEquals("edge-7:0MWYQ8A5M000RWCXP3:9", first.eventId());
        assertEquals(RecipientRejected.Reason.UNKNOWN_USER, first.reason());
        assertFalse(publisher.toEvent(refusal("192.0.2.7", 10, RecipientVerdict.ACCEPT)).isPresent());
        assertFalse(publisher.toEvent(refusal("unknown", 10, RecipientVerdict.RELAY_DENIED)).isPresent(),
                "no IP, nothing to count it against");
    }

    @Test
    void kafkaFailureIsCountedAndNeverReachesTheCaller() {
        MockProducer<String, byte[]> producer = mock(false);
        RecipientRejectedPublisher publisher = new RecipientRejectedPublisher(producer, "edge-7", registry, 100);
        publisher.refused(refusal("192.0.2.7", 1, RecipientVerdict.RELAY_DENIED));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        assertTrue(producer.errorNext(new TimeoutException("broker down")));
        assertEquals(1, count("portcullis.smtp.events.failed", "cause", "kafka"));
        assertEquals(0, count("portcullis.smtp.events.published", "reason", "relay_denied"));
    }

    @Test
    void aProducerThatBlocksNeverDelaysTheCallerAndOverflowIsDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MockProducer<String, byte[]> blocking = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
                    Callback callback) {
                try {
                    release.await(10, TimeUnit.SECONDS); // as KafkaProducer waiting for metadata
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new TimeoutException("metadata not available");
            }
        };
        RecipientRejectedPublisher publisher = new RecipientRejectedPublisher(blocking, "edge-7", registry, 2);
        EventJson.write(publisher.toEvent(refusal("192.0.2.7", 0, RecipientVerdict.RELAY_DENIED)).orElseThrow());
        long start = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            publisher.refused(refusal("192.0.2.7", i, RecipientVerdict.RELAY_DENIED));
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // the send blocks for up to 10 s: a caller that waited for it could not be done within 2 s
        assertTrue(tookMillis < 2000, "the caller never waits for Kafka: " + tookMillis + " ms");
        // one in the sender thread, two queued, the other seven dropped
        assertEquals(7, count("portcullis.smtp.events.failed", "cause", "queue-full"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> count("portcullis.smtp.events.failed", "cause", "kafka") == 3);
        publisher.stop();
    }
}
