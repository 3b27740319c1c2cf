package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.DeliveryRetryScheduled;
import java.util.concurrent.CompletionStage;

/** Publishes queued retries to {@code portcullis.delivery.retry.v1}. */
public interface DeliveryRetryPublisher {

    /** @return completes when the broker acknowledged the record, exceptionally when it did not */
    CompletionStage<Void> publish(DeliveryRetryScheduled retry);
}
