package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.DeliveryEvent;
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

/** Sends {@link DeliveryEvent}s keyed by message id on the {@code delivery-events} channel and waits for the ack. */
@ApplicationScoped
public class KafkaDeliveryEventPublisher implements DeliveryEventPublisher {

    /** Outgoing channel bound to {@link Topics#DELIVERY_EVENTS}. */
    public static final String CHANNEL = "delivery-events";

    private final Emitter<byte[]> emitter;

    public KafkaDeliveryEventPublisher(@Channel(CHANNEL) Emitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    @Override
    public CompletionStage<Void> publish(DeliveryEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_MESSAGE_ID, event.messageId().getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.messageId())
                .withHeaders(headers)
                .build();
        Message<byte[]> message = Message.of(EventJson.write(event))
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
