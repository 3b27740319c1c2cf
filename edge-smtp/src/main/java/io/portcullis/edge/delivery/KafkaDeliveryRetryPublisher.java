package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

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
        return AckedSend.send(emitter, retry.messageId(), retry);
    }
}
