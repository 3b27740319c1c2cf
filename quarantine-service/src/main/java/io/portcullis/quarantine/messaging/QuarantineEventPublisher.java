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
import java.util.ArrayList;
import java.util.List;
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
    /** Events in flight at once (the emitter buffers 128 by default). */
    static final int CHUNK = 64;

    private final Emitter<byte[]> emitter;
    private final Duration timeout;

    public QuarantineEventPublisher(@Channel(CHANNEL) Emitter<byte[]> emitter, QuarantineConfig config) {
        this.emitter = emitter;
        this.timeout = config.publishTimeout();
    }

    /** @throws PublishFailedException when Kafka refused the record or did not acknowledge it in time */
    @WithSpan("quarantine.publish-event")
    public void publish(QuarantineEvent event) {
        publishAll(List.of(event));
    }

    /**
     * Sends every event, then waits until Kafka acknowledged all of them (one timeout for the lot), so a batch costs
     * about one round trip rather than one per event.
     *
     * @throws PublishFailedException when Kafka refused any record or did not acknowledge all in time (some may have
     *                                been written: callers republish, consumers are idempotent)
     */
    @WithSpan("quarantine.publish-events")
    public void publishAll(List<QuarantineEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String what = events.size() == 1 ? events.get(0).type().toString() : events.size() + " events";
        try {
            for (int from = 0; from < events.size(); from += CHUNK) { // stays below the emitter's buffer
                List<CompletableFuture<Void>> acks = new ArrayList<>(CHUNK);
                for (QuarantineEvent event : events.subList(from, Math.min(events.size(), from + CHUNK))) {
                    acks.add(send(event));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing " + what, e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka refused " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("no Kafka ack for " + what + " within " + timeout, e);
        } catch (RuntimeException e) { // emitter overflow or a failed channel
            throw new PublishFailedException("cannot publish " + what + ": " + e.getMessage(), e);
        }
    }

    private CompletableFuture<Void> send(QuarantineEvent event) {
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
        emitter.send(message);
        return acked;
    }
}
