package io.portcullis.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * One outcome of a delivery attempt.
 *
 * @param messageId  queue id
 * @param tenant     tenant id
 * @param at         when it happened
 * @param status     what happened
 * @param recipients the recipients this outcome is about
 * @param attempt    1-based attempt number
 * @param nextHop    host:port the edge relayed to
 * @param reply      the remote server's last reply (or the local error)
 * @param kind       which delivery this is: to the recipients, a policy's BCC copy or a quarantine release
 *                   ({@link DeliveryKind#MESSAGE} when absent, as in events of the first releases)
 */
public record DeliveryEvent(String messageId, String tenant, Instant at, DeliveryStatus status,
        List<String> recipients, int attempt, String nextHop, String reply, DeliveryKind kind) {
    public DeliveryEvent {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        kind = kind == null ? DeliveryKind.MESSAGE : kind;
    }

    /** An event about the delivery to the recipients ({@link DeliveryKind#MESSAGE}), as the first releases wrote. */
    public DeliveryEvent(String messageId, String tenant, Instant at, DeliveryStatus status, List<String> recipients,
            int attempt, String nextHop, String reply) {
        this(messageId, tenant, at, status, recipients, attempt, nextHop, reply, DeliveryKind.MESSAGE);
    }

    public enum DeliveryStatus {
        /** The next hop accepted the message. */
        DELIVERED,
        /** A temporary failure; delivery will be retried. */
        DEFERRED,
        /** A permanent failure or retries exhausted. */
        FAILED,
        /** A delivery status notification was sent to the sender. */
        DSN_SENT,
        /** Dropped on purpose (DELETE / REJECT after acceptance). */
        DROPPED
    }
}
