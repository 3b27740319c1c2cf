package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.repository.QuarantineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Quarantines a message, one item per quarantined group of recipients: body to S3 first, then the index row (idempotent), then the QUARANTINED event. A crash
 * between the steps is repaired by redelivery: the S3 write hits the same key, the row is not inserted twice, and the
 * event is published again (consumers of the event are idempotent by message id).
 */
@ApplicationScoped
public class QuarantineService {
    private static final Logger LOG = Logger.getLogger(QuarantineService.class);
    private static final int MAX_SUBJECT = 998;
    private static final Pattern AREA = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** The finding symbol of a worm that mails itself (policy's MASS_MAILER class). */
    private static final String MASS_MAILER_SYMBOL = "AV_WORM_MASS_MAILER";
    /** Symbols of DLP template matches ({@code DLP_FAIL} is a FAILURE, not a match). */
    private static final String DLP_PREFIX = "DLP_";
    /**
     * The seeded default rules (policy-service V2-V6, scanner DefaultPolicy) and the fail-safe name no area; their
     * items go to the built-in area of what they stand for.
     */
    static final Map<String, String> DEFAULT_RULE_AREAS = Map.of(
            "virus-quarantine", "virus",
            "grayware-quarantine", "virus",
            "scan-failure-quarantine", "unscannable",
            "builtin-fail-safe", "unscannable",
            "blocked-attachment-quarantine", "policy",
            "active-content-quarantine", "policy",
            "blocked-sender-quarantine", "policy",
            "dmarc-reject-quarantine", "policy");

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
     * Quarantines every QUARANTINE group of the verdict ({@link VerdictIssued#groups()}) as its own item, with that
     * group's recipients and area: item ids are {@link MessageIds#itemId} of the group's ordinal among the
     * quarantined groups, so a re-consumed verdict finds the same items and adds none.
     *
     * @return the outcome of the first quarantined group (IGNORED when there is none); a later group's is logged
     * @throws PermanentFailure for verdicts that can never be quarantined (they belong in the dead-letter topic)
     * @throws RuntimeException  for transient failures (S3, database, Kafka); the caller retries
     */
    @WithSpan("quarantine.handle-verdict")
    public Outcome handle(@SpanAttribute("portcullis.message_id") String messageId, VerdictIssued verdict) {
        List<RecipientDecision> groups = verdict.groups().stream()
                .filter(g -> g.action() == Action.QUARANTINE).toList();
        if (groups.isEmpty()) {
            return Outcome.IGNORED;
        }
        validate(verdict);
        Outcome first = null;
        for (int i = 0; i < groups.size(); i++) {
            Outcome outcome = quarantine(verdict, groups.get(i), MessageIds.itemId(verdict.messageId(), i + 1));
            first = first == null ? outcome : first;
        }
        return first;
    }

    private Outcome quarantine(VerdictIssued verdict, RecipientDecision group, String itemId) {
        Optional<QuarantinedMessage> existing = repository.find(itemId);
        QuarantinedMessage row;
        if (existing.isPresent()) {
            row = existing.get();
        } else {
            Instant receivedAt = receivedAt(verdict);
            BodyRef stored = bodies.store(itemId, receivedAt, verdict.body());
            // microseconds: what PostgreSQL keeps, so a republished event equals the first one
            QuarantinedMessage fresh = toRow(verdict, group, itemId, stored, receivedAt,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            row = repository.insertIfAbsent(fresh) ? fresh : repository.find(itemId).orElseThrow();
        }
        if (row.status != QuarantineStatus.QUARANTINED) {
            LOG.infof("message %s (item %s) already %s; verdict redelivery ignored", row.messageId, row.itemId,
                    row.status);
            return Outcome.ALREADY_RESOLVED;
        }
        publisher.publish(QuarantineEvents.quarantined(row));
        LOG.infof("message %s quarantined as item %s in area %s, %s/%s (%s)", row.messageId, row.itemId, row.area,
                row.bucket, row.objectKey, row.reason);
        return existing.isPresent() ? Outcome.REPUBLISHED : Outcome.QUARANTINED;
    }

    /**
     * The area of a group: the rule's when it is a valid area name; else the built-in area of the deciding default
     * rule ({@link #DEFAULT_RULE_AREAS}); else by the message's class, most restrictive first: virus, grayware or
     * mass-mailer → {@code virus}; a DLP match → {@code dlp}; scan failure (or the fail-safe) → {@code unscannable};
     * spam → {@code spam}; anything else → {@code policy}.
     */
    static String area(VerdictIssued verdict, RecipientDecision group) {
        String named = group.quarantineArea();
        if (named != null && AREA.matcher(named).matches()) {
            return named;
        }
        if (named != null) {
            LOG.warnf("message %s: quarantine area is not a-z 0-9 '-' (at most 64); using the default area",
                    verdict.messageId());
        }
        String byRule = group.ruleId() == null ? null : DEFAULT_RULE_AREAS.get(group.ruleId());
        if (byRule != null) {
            return byRule;
        }
        boolean virus = verdict.virus() || verdict.findings().stream().anyMatch(f -> f != null
                && (f.category() == Category.VIRUS || f.category() == Category.GRAYWARE
                || MASS_MAILER_SYMBOL.equals(f.symbol())));
        if (virus) {
            return "virus";
        }
        if (verdict.findings().stream().anyMatch(f -> f != null && f.category() != Category.FAILURE
                && f.symbol() != null && f.symbol().startsWith(DLP_PREFIX))) {
            return "dlp";
        }
        if (verdict.findings().stream().anyMatch(f -> f != null && f.category() == Category.FAILURE)) {
            return "unscannable";
        }
        if (verdict.spam()) {
            return "spam";
        }
        return "policy";
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

    private static QuarantinedMessage toRow(VerdictIssued verdict, RecipientDecision group, String itemId,
            BodyRef stored, Instant receivedAt, Instant now) {
        Envelope original = verdict.envelope();
        // the item's envelope: its group's recipients, so a release delivers to them only
        Envelope envelope = new Envelope(original.mailFrom(), group.recipients(), original.helo(),
                original.clientIp(), original.tls());
        QuarantinedMessage row = new QuarantinedMessage();
        row.itemId = itemId;
        row.messageId = verdict.messageId();
        row.area = area(verdict, group);
        row.tenant = verdict.tenant() == null || verdict.tenant().isBlank() ? "default" : verdict.tenant();
        row.receivedAt = receivedAt;
        row.quarantinedAt = now;
        row.sender = envelope.mailFrom() == null ? "" : envelope.mailFrom();
        row.recipients = envelope.recipients();
        row.subject = verdict.subject() == null || verdict.subject().length() <= MAX_SUBJECT
                ? verdict.subject() : verdict.subject().substring(0, MAX_SUBJECT);
        row.reason = ReasonFormatter.reason(verdict, group.ruleId());
        row.size = stored.size();
        row.sha256 = stored.sha256();
        row.bucket = stored.bucket();
        row.objectKey = stored.key();
        row.status = QuarantineStatus.QUARANTINED;
        row.envelope = new String(EventJson.write(envelope), StandardCharsets.UTF_8);
        return row;
    }
}
