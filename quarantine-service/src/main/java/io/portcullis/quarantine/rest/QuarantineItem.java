package io.portcullis.quarantine.rest;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.service.QuarantineEvents;
import java.time.Instant;
import java.util.List;

/** One quarantined message as the API shows it. */
public record QuarantineItem(String messageId, String tenant, Instant receivedAt, Instant quarantinedAt,
        String sender, List<String> recipients, String subject, String reason, long size, String sha256,
        String bucket, String objectKey, QuarantineStatus status, EnvelopeInfo envelope, Instant statusChangedAt,
        String statusChangedBy) {

    /** The connection facts of the SMTP envelope. */
    public record EnvelopeInfo(String helo, String clientIp, boolean tls) {
    }

    static QuarantineItem of(QuarantinedMessage row) {
        Envelope envelope = QuarantineEvents.envelope(row);
        return new QuarantineItem(row.messageId, row.tenant, row.receivedAt, row.quarantinedAt, row.sender,
                row.recipients, row.subject, row.reason, row.size, row.sha256, row.bucket, row.objectKey, row.status,
                new EnvelopeInfo(envelope.helo(), envelope.clientIp(), envelope.tls()), row.statusChangedAt,
                row.statusChangedBy);
    }
}
