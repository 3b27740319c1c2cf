package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * A message whose recipients are still temporarily failing after delivery's quick in-process attempts, handed to
 * the durable retry queue. Written by edge-smtp delivery and read back by it (group {@code delivery-retry}), which
 * waits until {@code notBefore} and tries again. Recipients already delivered or refused permanently are not in
 * {@code envelope}; they are never retried.
 *
 * @param messageId      queue id
 * @param tenant         tenant id
 * @param firstAttemptAt when delivery first tried this message; the queue lifetime is measured from it
 * @param notBefore      the earliest time of the next attempt
 * @param attempt        1-based number of the last attempt made (the next one is {@code attempt + 1})
 * @param envelope       the envelope with only the still-pending recipients ({@code helo}, {@code clientIp} may
 *                       be null)
 * @param body           where the bytes are (same reference as in the verdict or release)
 * @param modifications  changes to apply when delivering (for TAG)
 * @param lastReply      the next hop's last reply for these recipients (or the local error)
 * @param kind           which delivery is retried, kept across retries so that a BCC copy's or a release's later
 *                       attempts stay marked ({@link DeliveryKind#MESSAGE} when absent, as in records of the first
 *                       releases)
 */
public record DeliveryRetryScheduled(String messageId, String tenant, Instant firstAttemptAt, Instant notBefore,
        int attempt, Envelope envelope, BodyRef body, Modifications modifications, String lastReply,
        DeliveryKind kind) {
    public DeliveryRetryScheduled {
        modifications = modifications == null ? Modifications.NONE : modifications;
        kind = kind == null ? DeliveryKind.MESSAGE : kind;
    }

    /** A retry of the delivery to the recipients ({@link DeliveryKind#MESSAGE}), as the first releases wrote. */
    public DeliveryRetryScheduled(String messageId, String tenant, Instant firstAttemptAt, Instant notBefore,
            int attempt, Envelope envelope, BodyRef body, Modifications modifications, String lastReply) {
        this(messageId, tenant, firstAttemptAt, notBefore, attempt, envelope, body, modifications, lastReply,
                DeliveryKind.MESSAGE);
    }
}
