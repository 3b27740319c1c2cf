package io.portcullis.quarantine.messaging;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.Topics;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Publishes {@link QuarantineEvent}s keyed by message id and returns only once Kafka acknowledged them. */
@ApplicationScoped
public class QuarantineEventPublisher {
    public static final String CHANNEL = "quarantine-events-out";

    private final Emitter<byte[]> emitter;
    private final Duration timeout;

    public QuarantineEventPublisher(@Channel(CHANNEL) Emitter<byte[]> emitter, QuarantineConfig config) {
        this.emitter = emitter;
        this.timeout = config.publishTimeout();
    }

    /** @throws PublishFailedException when Kafka refused the record or did not acknowledge it in time */
    @WithSpan("quarantine.publish-event")
    public void publish(QuarantineEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.messageId())
                .withHeaders(new RecordHeaders().add(Topics.HEADER_MESSAGE_ID,
                        event.messageId().getBytes(StandardCharsets.UTF_8)))
                .build();
        Message<byte[]> message = Message.of(EventJson.write(event), Metadata.of(kafka),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing " + event.type(), e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka refused " + event.type() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("no Kafka ack for " + event.type() + " within " + timeout, e);
        } catch (RuntimeException e) { // emitter overflow or a failed channel
            throw new PublishFailedException("cannot publish " + event.type() + ": " + e.getMessage(), e);
        }
    }
}
