package io.portcullis.quarantine.rest;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.service.QuarantineEvents;
import java.time.Instant;
import java.util.List;

/**
 * One quarantine item as the API shows it: a message, or for a message split by per-recipient policy, one quarantined
 * group of its recipients ({@code itemId} is then {@code <messageId>.q<n>} for the second and later ones).
 * {@code status} is derived from {@code recipientStates}: QUARANTINED while any recipient is held.
 */
public record QuarantineItem(String itemId, String messageId, String area, String tenant, Instant receivedAt,
        Instant quarantinedAt, String sender, List<String> recipients, String subject, String reason, long size,
        String sha256, String bucket, String objectKey, QuarantineStatus status, EnvelopeInfo envelope,
        Instant statusChangedAt, String statusChangedBy, List<RecipientState> recipientStates) {

    /** The connection facts of the SMTP envelope. */
    public record EnvelopeInfo(String helo, String clientIp, boolean tls) {
    }

    public static QuarantineItem of(QuarantinedMessage row, List<RecipientState> recipientStates) {
        Envelope envelope = QuarantineEvents.envelope(row);
        return new QuarantineItem(row.itemId, row.messageId, row.area, row.tenant, row.receivedAt, row.quarantinedAt,
                row.sender, row.recipients, row.subject, row.reason, row.size, row.sha256, row.bucket, row.objectKey,
                row.status, new EnvelopeInfo(envelope.helo(), envelope.clientIp(), envelope.tls()),
                row.statusChangedAt, row.statusChangedBy, recipientStates == null ? List.of() : recipientStates);
    }
}
