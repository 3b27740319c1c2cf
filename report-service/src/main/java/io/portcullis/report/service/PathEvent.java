package io.portcullis.report.service;

import java.time.Instant;

/**
 * One step of a message's path as stored in report.message_event.
 *
 * @param type   RECEIVED, SCANNED, a delivery status or a quarantine event type
 * @param at     when it happened (with type and message id, the idempotency key)
 * @param detail short text for operators; never message content
 * @param state  the message state this step sets, or null (RECEIVED, DSN_SENT)
 */
public record PathEvent(String type, Instant at, String detail, MessageState state) {
}
