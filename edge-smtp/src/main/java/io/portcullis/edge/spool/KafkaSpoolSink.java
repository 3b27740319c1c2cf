package io.portcullis.edge.spool;

import io.portcullis.edge.storage.ObjectStore;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.MailReceived;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.smtp.AcceptedMessage;
import io.portcullis.edge.smtp.MessageSink;
import io.vertx.core.Vertx;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * Durable acceptance: the {@link MessageSink} of the edge listener.
 *
 * <p>For each message: SHA-256 of the bytes; bodies above {@link SpoolSettings#inlineMaxBytes()} are written to
 * object storage first ({@code <bucket>/<yyyy/MM/dd>/<id>.eml}) and referenced with {@link BodyRef#stored}, smaller
 * ones travel inline; then a {@link MailReceived} record goes to {@link Topics#MAIL_RECEIVED}, keyed by the queue id,
 * with the {@link Topics#HEADER_MESSAGE_ID} header and the W3C trace context of the SMTP transaction. The returned
 * stage completes only in the producer callback after the broker acknowledged the record (acks=all); any failure
 * completes it exceptionally, and an object written for a message whose record failed is deleted (best effort), so
 * nothing is half-accepted.
 *
 * <p>All blocking work (object storage, and {@code send}, which can block up to max.block.ms for metadata) runs on
 * the worker executor, never on the caller's event loop.
 */
@ApplicationScoped
@Spool
public class KafkaSpoolSink implements MessageSink {

    private static final Logger LOG = Logger.getLogger(KafkaSpoolSink.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Producer<String, byte[]> producer;
    private final ObjectStore store;
    private final Executor blocking;
    private final TextMapPropagator propagator;
    private final SpoolSettings settings;
    private volatile boolean bucketReady;

    @Inject
    public KafkaSpoolSink(@Spool Producer<String, byte[]> producer, ObjectStore store, Vertx vertx,
            OpenTelemetry openTelemetry, EdgeConfig config) {
        this(producer, store, command -> vertx.executeBlocking(() -> {
            command.run();
            return null;
        }, false), openTelemetry.getPropagators().getTextMapPropagator(), SpoolSettings.from(config));
    }

    /**
     * @param blocking   runs object storage and Kafka sends (must not be an event loop)
     * @param propagator writes the trace context into record headers
     */
    public KafkaSpoolSink(Producer<String, byte[]> producer, ObjectStore store, Executor blocking,
            TextMapPropagator propagator, SpoolSettings settings) {
        this.producer = producer;
        this.store = store;
        this.blocking = blocking;
        this.propagator = propagator;
        this.settings = settings;
    }

    @Override
    public CompletionStage<String> accept(AcceptedMessage message) {
        Context trace = message.traceContext();
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        CompletableFuture<String> result = new CompletableFuture<>();
        try {
            blocking.execute(() -> spool(message, trace, deadline, result));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** The object key of a stored body: {@code yyyy/MM/dd/<id>.eml} by the UTC receive date. */
    public static String objectKey(Instant receivedAt, String queueId) {
        return DAY.format(receivedAt) + "/" + queueId + ".eml";
    }

    /** Creates the bucket when missing; called at start-up and before the first stored body. */
    public void ensureBucket() throws java.io.IOException {
        if (!bucketReady) {
            store.ensureBucket(settings.bucket());
            bucketReady = true;
        }
    }

    void onStart(@Observes StartupEvent event) {
        blocking.execute(() -> {
            try {
                ensureBucket();
            } catch (Exception e) {
                LOG.warnf("spool bucket %s not ready yet (retried before the first stored body): %s",
                        settings.bucket(), e.toString());
            }
        });
    }

    private void spool(AcceptedMessage message, Context trace, long deadline, CompletableFuture<String> result) {
        String id = message.queueId();
        byte[] bytes = message.bytes();
        String storedKey = null;
        AtomicBoolean cleaned = new AtomicBoolean();
        try {
            String sha256 = sha256(bytes);
            BodyRef body;
            if (bytes.length > settings.inlineMaxBytes()) {
                ensureBucket();
                storedKey = objectKey(message.receivedAt(), id);
                store.put(settings.bucket(), storedKey, new ByteArrayInputStream(bytes), bytes.length,
                        "message/rfc822");
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("object storage took longer than the ack timeout");
                }
                body = BodyRef.stored(settings.bucket(), storedKey, bytes.length, sha256);
            } else {
                body = BodyRef.inline(bytes, sha256);
            }
            MailReceived event = new MailReceived(id, settings.tenant(), message.receivedAt(), settings.node(),
                    message.envelope(), body);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MAIL_RECEIVED, id,
                    EventJson.write(event));
            record.headers().add(Topics.HEADER_MESSAGE_ID, id.getBytes(StandardCharsets.UTF_8));
            propagator.inject(trace, record.headers(), HEADER_SETTER);
            String key = storedKey;
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    LOG.debugf("%s durable at %s-%d@%d", id, metadata.topic(), metadata.partition(),
                            metadata.offset());
                    result.complete(id);
                } else {
                    LOG.warnf("%s Kafka did not take the record: %s", id, error.toString());
                    cleanUp(key, cleaned);
                    result.completeExceptionally(error);
                }
            });
        } catch (Exception e) {
            LOG.warnf("%s not spooled: %s", id, e.toString());
            cleanUp(storedKey, cleaned);
            result.completeExceptionally(e);
        }
    }

    private void cleanUp(String key, AtomicBoolean cleaned) {
        if (key == null || !cleaned.compareAndSet(false, true)) {
            return;
        }
        Runnable delete = () -> {
            try {
                store.delete(settings.bucket(), key);
            } catch (Exception e) {
                LOG.warnf("could not delete orphaned spool object %s: %s", key, e.toString());
            }
        };
        try {
            blocking.execute(delete);
        } catch (RuntimeException e) {
            delete.run();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
