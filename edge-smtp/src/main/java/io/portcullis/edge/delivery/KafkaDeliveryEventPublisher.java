package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

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
        return AckedSend.send(emitter, event.messageId(), event);
    }
}
