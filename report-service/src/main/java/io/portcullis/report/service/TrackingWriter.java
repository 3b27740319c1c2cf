package io.portcullis.report.service;

import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Writes events into the tracking tables, one transaction per event. Every write is an idempotent upsert: the
 * message row is created by whichever event comes first, path steps are keyed by (message, type, time), and the
 * state only moves to a newer event ({@link MessageState#supersedes}). Re-delivered records change nothing. A verdict
 * also stores what rule simulation needs ({@link RecordedDetails}).
 */
@ApplicationScoped
public class TrackingWriter {
    static final int MAX_TEXT = 2000;
    static final int MAX_ADDRESS = 320;
    static final int MAX_RECIPIENTS = 1000;
    /** Longest rule id, item id, area or delivery kind stored. */
    static final int MAX_ID = 255;
    /** Most decision groups stored per verdict (one per recipient at most). */
    static final int MAX_GROUPS = MAX_RECIPIENTS;

    private static final String UPSERT_VERDICT = """
            INSERT INTO report.message (message_id, tenant, received_at, scanned_at, sender, recipients,
                recipients_lower, subject, header_message_id, action, rule_id, virus, spam, spam_score, symbols,
                seen_at, updated_at, message_size, findings, attachments, matched_rules, policy_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?)
            ON CONFLICT (message_id) DO UPDATE SET tenant = EXCLUDED.tenant, received_at = EXCLUDED.received_at,
                scanned_at = EXCLUDED.scanned_at, sender = EXCLUDED.sender, recipients = EXCLUDED.recipients,
                recipients_lower = EXCLUDED.recipients_lower, subject = EXCLUDED.subject,
                header_message_id = EXCLUDED.header_message_id, action = EXCLUDED.action,
                rule_id = EXCLUDED.rule_id, virus = EXCLUDED.virus, spam = EXCLUDED.spam,
                spam_score = EXCLUDED.spam_score, symbols = EXCLUDED.symbols,
                seen_at = LEAST(report.message.seen_at, EXCLUDED.seen_at), updated_at = EXCLUDED.updated_at,
                message_size = EXCLUDED.message_size, findings = EXCLUDED.findings,
                attachments = EXCLUDED.attachments, matched_rules = EXCLUDED.matched_rules,
                policy_version = EXCLUDED.policy_version
            """;

    /** Creates the row lazily for an event that beat the verdict; fills only what is still unknown. */
    private static final String UPSERT_FROM_EVENT = """
            INSERT INTO report.message (message_id, tenant, sender, recipients, recipients_lower, seen_at,
                updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (message_id) DO UPDATE SET
                tenant = COALESCE(report.message.tenant, EXCLUDED.tenant),
                sender = COALESCE(report.message.sender, EXCLUDED.sender),
                recipients = CASE WHEN cardinality(report.message.recipients) = 0
                    THEN EXCLUDED.recipients ELSE report.message.recipients END,
                recipients_lower = CASE WHEN cardinality(report.message.recipients_lower) = 0
                    THEN EXCLUDED.recipients_lower ELSE report.message.recipients_lower END,
                seen_at = LEAST(report.message.seen_at, EXCLUDED.seen_at),
                updated_at = EXCLUDED.updated_at
            """;

    private static final String INSERT_EVENT = """
            INSERT INTO report.message_event (message_id, at, type, detail, kind, item_id, area, step_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT ON CONSTRAINT message_event_once DO NOTHING
            """;

    private static final String INSERT_DECISION = """
            INSERT INTO report.message_decision (message_id, ordinal, recipients, action, rule_id, quarantine_area,
                redirect_to, defer_until, bcc, matched_rules)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private final AgroalDataSource dataSource;
    private final Clock clock;

    public TrackingWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.clock = Clock.systemUTC();
    }

    @WithSpan
    @Transactional
    public void recordVerdict(VerdictIssued v) {
        Span.current().setAttribute("portcullis.message.id", v.messageId());
        Envelope envelope = v.envelope();
        List<String> recipients = recipients(envelope.recipients());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(UPSERT_VERDICT)) {
                s.setString(1, v.messageId());
                s.setString(2, text(v.tenant(), 64));
                s.setObject(3, ts(v.receivedAt()));
                s.setObject(4, ts(v.scannedAt()));
                s.setString(5, text(envelope.mailFrom(), MAX_ADDRESS));
                s.setArray(6, c.createArrayOf("text", recipients.toArray()));
                s.setArray(7, c.createArrayOf("text", lower(recipients).toArray()));
                s.setString(8, text(v.subject(), MAX_TEXT));
                s.setString(9, text(v.headerMessageId(), MAX_TEXT));
                s.setString(10, v.action().name());
                s.setString(11, text(v.ruleId(), 128));
                s.setBoolean(12, v.virus());
                s.setBoolean(13, v.spam());
                if (Double.isFinite(v.spamScore())) {
                    s.setDouble(14, v.spamScore());
                } else {
                    s.setNull(14, Types.DOUBLE);
                }
                s.setString(15, text(PathEvents.symbols(v), MAX_TEXT));
                s.setObject(16, ts(v.receivedAt()));
                s.setObject(17, ts(clock.instant()));
                s.setLong(18, Math.max(0, v.messageSize()));
                s.setString(19, RecordedDetails.json(RecordedDetails.findings(v)));
                s.setString(20, RecordedDetails.json(RecordedDetails.attachments(v)));
                s.setArray(21, c.createArrayOf("text", RecordedDetails.matchedRules(v).toArray()));
                s.setLong(22, v.policyVersion());
                s.executeUpdate();
            }
            decisions(c, v);
            for (PathEvent step : PathEvents.of(v)) {
                step(c, v.messageId(), step);
            }
        } catch (SQLException e) {
            throw new TrackingWriteException(v.messageId(), e);
        }
    }

    @WithSpan
    @Transactional
    public void recordDelivery(DeliveryEvent d) {
        Span.current().setAttribute("portcullis.message.id", d.messageId());
        record(d.messageId(), d.tenant(), null, d.recipients(), PathEvents.of(d));
    }

    @WithSpan
    @Transactional
    public void recordQuarantine(QuarantineEvent q) {
        Span.current().setAttribute("portcullis.message.id", q.messageId());
        Envelope envelope = q.envelope();
        record(q.messageId(), q.tenant(), envelope == null ? null : envelope.mailFrom(),
                envelope == null ? List.of() : envelope.recipients(), PathEvents.of(q));
    }

    private void record(String messageId, String tenant, String sender, List<String> rawRecipients,
            PathEvent step) {
        List<String> recipients = recipients(rawRecipients);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(UPSERT_FROM_EVENT)) {
                s.setString(1, messageId);
                s.setString(2, text(tenant, 64));
                s.setString(3, text(sender, MAX_ADDRESS));
                s.setArray(4, c.createArrayOf("text", recipients.toArray()));
                s.setArray(5, c.createArrayOf("text", lower(recipients).toArray()));
                s.setObject(6, ts(step.at()));
                s.setObject(7, ts(clock.instant()));
                s.executeUpdate();
            }
            step(c, messageId, step);
        } catch (SQLException e) {
            throw new TrackingWriteException(messageId, e);
        }
    }

    /**
     * Replaces the message's decision groups with the verdict's ({@link VerdictIssued#groups()}: for a verdict of the
     * first releases, one group with every recipient), so a re-delivered verdict leaves the same rows.
     */
    private static void decisions(Connection c, VerdictIssued v) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM report.message_decision WHERE message_id = ?")) {
            s.setString(1, v.messageId());
            s.executeUpdate();
        }
        List<RecipientDecision> groups = v.groups();
        try (PreparedStatement s = c.prepareStatement(INSERT_DECISION)) {
            for (int i = 0; i < groups.size() && i < MAX_GROUPS; i++) {
                RecipientDecision g = groups.get(i);
                s.setString(1, v.messageId());
                s.setInt(2, i + 1);
                s.setArray(3, c.createArrayOf("text", recipients(g.recipients()).toArray()));
                s.setString(4, g.action() == null ? "UNKNOWN" : g.action().name());
                s.setString(5, text(g.ruleId(), MAX_ID));
                s.setString(6, text(g.quarantineArea(), MAX_ID));
                s.setArray(7, c.createArrayOf("text", recipients(g.redirectTo()).toArray()));
                s.setObject(8, g.deferUntil() == null ? null : ts(g.deferUntil()));
                s.setArray(9, c.createArrayOf("text", recipients(g.bcc()).toArray()));
                s.setArray(10, c.createArrayOf("text", g.matchedRules().stream().filter(r -> r != null)
                        .limit(MAX_RECIPIENTS).map(r -> text(r, MAX_ID)).toArray()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Adds the path step (once) and moves the state if the step is newer than the stored one. */
    private void step(Connection c, String messageId, PathEvent step) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
            s.setString(1, messageId);
            s.setObject(2, ts(step.at()));
            s.setString(3, step.type());
            s.setString(4, step.detail());
            s.setString(5, step.kind());
            s.setString(6, step.itemId());
            s.setString(7, step.area());
            s.setString(8, step.stepKey(messageId));
            s.executeUpdate();
        }
        if (step.state() == null) {
            return;
        }
        MessageState current;
        Instant currentAt;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT state, state_at FROM report.message WHERE message_id = ? FOR UPDATE")) {
            s.setString(1, messageId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("message row vanished inside its own transaction", "40001");
                }
                current = MessageState.parse(rs.getString(1));
                OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
                currentAt = at == null ? null : at.toInstant();
            }
        }
        if (MessageState.supersedes(step.state(), step.at(), current, currentAt)) {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE report.message SET state = ?, state_at = ?, updated_at = ? WHERE message_id = ?")) {
                s.setString(1, step.state().name());
                s.setObject(2, ts(step.at()));
                s.setObject(3, ts(clock.instant()));
                s.setString(4, messageId);
                s.executeUpdate();
            }
        }
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static List<String> recipients(List<String> raw) {
        if (raw == null) {
            return List.of();
        }
        return raw.stream().filter(r -> r != null && !r.isEmpty()).limit(MAX_RECIPIENTS)
                .map(r -> text(r, MAX_ADDRESS)).toList();
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    private static String text(String value, int max) {
        return PathEvents.clean(value, max);
    }
}
