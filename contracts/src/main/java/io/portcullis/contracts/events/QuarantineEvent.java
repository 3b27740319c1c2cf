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
 */
public record QuarantineEvent(String messageId, String tenant, Instant at, Type type, Envelope envelope,
        BodyRef body, String reason, String actor) {

    public enum Type {
        QUARANTINED, RELEASED, DELETED
    }
}
