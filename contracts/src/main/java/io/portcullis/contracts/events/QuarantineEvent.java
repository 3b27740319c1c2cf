package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * A change to a quarantined message. RELEASED is read by delivery, which then delivers {@code body} to
 * {@code envelope}'s recipients.
 *
 * @param messageId queue id
 * @param tenant    tenant id
 * @param at        when it happened
 * @param type      what happened
 * @param envelope  the original envelope
 * @param body      where the quarantined copy is
 * @param reason    the verdict's deciding finding or rule, for QUARANTINED
 * @param actor     who released or deleted it ("system" for the pipeline)
 * @param itemId    the quarantine item (one per quarantined group of recipients of a split message);
 *                  {@code messageId} when absent, as in events of the first releases
 * @param area      the quarantine area the item is in, or null when not known (events of the first releases)
 */
public record QuarantineEvent(String messageId, String tenant, Instant at, Type type, Envelope envelope,
        BodyRef body, String reason, String actor, String itemId, String area) {
    public QuarantineEvent {
        itemId = itemId == null || itemId.isBlank() ? messageId : itemId;
    }

    /** An event without item id or area, as the first releases wrote it: the item is the message. */
    public QuarantineEvent(String messageId, String tenant, Instant at, Type type, Envelope envelope, BodyRef body,
            String reason, String actor) {
        this(messageId, tenant, at, type, envelope, body, reason, actor, messageId, null);
    }

    public enum Type {
        QUARANTINED, RELEASED, DELETED
    }
}
