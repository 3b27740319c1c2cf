package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.DeliveryEvent;
import java.util.concurrent.CompletionStage;

/** Publishes delivery outcomes to {@code portcullis.delivery.events.v1}. */
public interface DeliveryEventPublisher {

    /** @return completes when the broker acknowledged the record, exceptionally when it did not */
    CompletionStage<Void> publish(DeliveryEvent event);
}
