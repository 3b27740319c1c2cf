package io.portcullis.report.service;

import java.time.Instant;

/**
 * One step of a message's path as stored in report.message_event.
 *
 * @param type   RECEIVED, SCANNED, a delivery status or a quarantine event type
 * @param at     when it happened (with type, message id and {@link #stepKey()}, the idempotency key)
 * @param detail short text for operators; never message content
 * @param state  the message state this step sets, or null (RECEIVED, DSN_SENT)
 * @param kind   for a delivery step: MESSAGE, BCC_COPY or RELEASE; else null
 * @param itemId for a quarantine step: the quarantine item; else null
 * @param area   for a quarantine step: the item's area, or null when the event did not say
 */
public record PathEvent(String type, Instant at, String detail, MessageState state, String kind, String itemId,
        String area) {

    /** A step that is neither a delivery nor a quarantine step. */
    public PathEvent(String type, Instant at, String detail, MessageState state) {
        this(type, at, detail, state, null, null, null);
    }

    /**
     * Tells apart steps of one type at the same instant: '' for the message itself (a MESSAGE delivery, the item
     * named like the message, verdict steps), else the delivery kind or the item id.
     *
     * @param messageId the message the step belongs to
     */
    public String stepKey(String messageId) {
        if (kind != null && !"MESSAGE".equals(kind)) {
            return kind;
        }
        if (itemId != null && !itemId.equals(messageId)) {
            return itemId;
        }
        return "";
    }
}
