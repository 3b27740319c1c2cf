package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends {@link DeliveryRetryScheduled} records keyed by message id on the {@code delivery-retries-out} channel
 * ({@link Topics#DELIVERY_RETRY}, acks=all) and waits for the ack.
 */
@ApplicationScoped
public class KafkaDeliveryRetryPublisher implements DeliveryRetryPublisher {

    /** Outgoing channel bound to {@link Topics#DELIVERY_RETRY}. */
    public static final String CHANNEL = "delivery-retries-out";

    private final Emitter<byte[]> emitter;

    public KafkaDeliveryRetryPublisher(@Channel(CHANNEL) Emitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    @Override
    public CompletionStage<Void> publish(DeliveryRetryScheduled retry) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_MESSAGE_ID, retry.messageId().getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(retry.messageId())
                .withHeaders(headers)
                .build();
        Message<byte[]> message = Message.of(EventJson.write(retry))
                .addMetadata(metadata)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
