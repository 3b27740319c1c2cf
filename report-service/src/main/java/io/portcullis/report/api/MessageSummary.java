package io.portcullis.report.api;

import java.time.Instant;
import java.util.List;

/**
 * One tracked message. Fields from the verdict are null until it arrives.
 *
 * @param state the state of the latest event: SCANNED, DELIVERED, DEFERRED, FAILED, QUARANTINED, RELEASED,
 *              DELETED or DROPPED (null while only a DSN_SENT is known)
 */
public record MessageSummary(String messageId, String tenant, Instant receivedAt, Instant scannedAt, String sender,
        List<String> recipients, String subject, String headerMessageId, String action, String ruleId,
        Boolean virus, Boolean spam, Double spamScore, List<String> symbols, String state, Instant updatedAt) {
}
