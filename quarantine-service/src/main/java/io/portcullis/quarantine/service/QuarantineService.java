package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.repository.QuarantineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Quarantines a message: body to S3 first, then the index row (idempotent), then the QUARANTINED event. A crash
 * between the steps is repaired by redelivery: the S3 write hits the same key, the row is not inserted twice, and the
 * event is published again (consumers of the event are idempotent by message id).
 */
@ApplicationScoped
public class QuarantineService {
    private static final Logger LOG = Logger.getLogger(QuarantineService.class);
    private static final int MAX_SUBJECT = 998;

    /** What handling a verdict amounted to. */
    public enum Outcome {
        /** Not a QUARANTINE verdict. */
        IGNORED,
        /** Stored, indexed and announced. */
        QUARANTINED,
        /** Already indexed as QUARANTINED; the event was published again. */
        REPUBLISHED,
        /** Already released or deleted; nothing done. */
        ALREADY_RESOLVED
    }

    private final BodyStorer bodies;
    private final QuarantineRepository repository;
    private final QuarantineEventPublisher publisher;
    private final Clock clock = Clock.systemUTC();

    public QuarantineService(BodyStorer bodies, QuarantineRepository repository, QuarantineEventPublisher publisher) {
        this.bodies = bodies;
        this.repository = repository;
        this.publisher = publisher;
    }

    /**
     * @throws PermanentFailure for verdicts that can never be quarantined (they belong in the dead-letter topic)
     * @throws RuntimeException  for transient failures (S3, database, Kafka); the caller retries
     */
    @WithSpan("quarantine.handle-verdict")
    public Outcome handle(@SpanAttribute("portcullis.message_id") String messageId, VerdictIssued verdict) {
        if (verdict.action() != Action.QUARANTINE) {
            return Outcome.IGNORED;
        }
        validate(verdict);
        Optional<QuarantinedMessage> existing = repository.find(verdict.messageId());
        QuarantinedMessage row;
        if (existing.isPresent()) {
            row = existing.get();
        } else {
            Instant receivedAt = receivedAt(verdict);
            BodyRef stored = bodies.store(verdict.messageId(), receivedAt, verdict.body());
            // microseconds: what PostgreSQL keeps, so a republished event equals the first one
            QuarantinedMessage fresh = toRow(verdict, stored, receivedAt,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            row = repository.insertIfAbsent(fresh) ? fresh : repository.find(verdict.messageId()).orElseThrow();
        }
        if (row.status != QuarantineStatus.QUARANTINED) {
            LOG.infof("message %s already %s; verdict redelivery ignored", row.messageId, row.status);
            return Outcome.ALREADY_RESOLVED;
        }
        publisher.publish(QuarantineEvents.quarantined(row));
        LOG.infof("message %s quarantined as %s/%s (%s)", row.messageId, row.bucket, row.objectKey, row.reason);
        return existing.isPresent() ? Outcome.REPUBLISHED : Outcome.QUARANTINED;
    }

    private static void validate(VerdictIssued verdict) {
        if (!MessageIds.isValid(verdict.messageId())) {
            throw new PermanentFailure("verdict has a missing or unsafe message id");
        }
        if (verdict.envelope() == null) {
            throw new PermanentFailure("verdict " + verdict.messageId() + " has no envelope");
        }
        if (verdict.body() == null) {
            throw new PermanentFailure("verdict " + verdict.messageId() + " has no body reference");
        }
        if (verdict.tenant() != null && verdict.tenant().length() > 128) {
            throw new PermanentFailure("verdict " + verdict.messageId() + " has an over-long tenant id");
        }
        if (verdict.receivedAt() == null && verdict.scannedAt() == null) {
            throw new PermanentFailure("verdict " + verdict.messageId() + " has neither receivedAt nor scannedAt");
        }
    }

    private static Instant receivedAt(VerdictIssued verdict) {
        return verdict.receivedAt() != null ? verdict.receivedAt() : verdict.scannedAt();
    }

    private static QuarantinedMessage toRow(VerdictIssued verdict, BodyRef stored, Instant receivedAt, Instant now) {
        Envelope envelope = verdict.envelope();
        QuarantinedMessage row = new QuarantinedMessage();
        row.messageId = verdict.messageId();
        row.tenant = verdict.tenant() == null || verdict.tenant().isBlank() ? "default" : verdict.tenant();
        row.receivedAt = receivedAt;
        row.quarantinedAt = now;
        row.sender = envelope.mailFrom() == null ? "" : envelope.mailFrom();
        row.recipients = envelope.recipients();
        row.subject = verdict.subject() == null || verdict.subject().length() <= MAX_SUBJECT
                ? verdict.subject() : verdict.subject().substring(0, MAX_SUBJECT);
        row.reason = ReasonFormatter.reason(verdict);
        row.size = stored.size();
        row.sha256 = stored.sha256();
        row.bucket = stored.bucket();
        row.objectKey = stored.key();
        row.status = QuarantineStatus.QUARANTINED;
        row.envelope = new String(EventJson.write(envelope), StandardCharsets.UTF_8);
        return row;
    }
}
