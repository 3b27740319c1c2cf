package io.portcullis.edge.delivery;

import java.util.List;

/**
 * The final outcome of a {@link DeliveryJob}, once every event about it is acknowledged.
 *
 * @param messageId queue id
 * @param delivered recipients the next hop accepted
 * @param failed    recipients refused permanently or whose queue lifetime ran out
 * @param queued    recipients still temporarily failing, handed to the durable retry queue
 * @param attempts  number of the last relay attempt made (counting attempts of earlier runs)
 * @param dsnSent   whether a DSN went to the sender
 */
public record DeliveryReport(String messageId, List<String> delivered, List<String> failed, List<String> queued,
        int attempts, boolean dsnSent) {
    public DeliveryReport {
        delivered = List.copyOf(delivered);
        failed = List.copyOf(failed);
        queued = List.copyOf(queued);
    }
}
