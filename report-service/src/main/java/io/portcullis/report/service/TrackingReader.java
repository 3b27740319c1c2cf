package io.portcullis.report.service;

import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.report.api.MessageSummary;
import io.portcullis.report.api.MessageTrace;
import io.portcullis.report.api.PathStep;
import io.portcullis.report.api.RecipientDecisionView;
import io.portcullis.report.api.RecordedMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads tracked messages. Filters are fixed SQL with bound parameters; nothing from the request is spliced. */
@ApplicationScoped
public class TrackingReader {
    private static final String COLUMNS = "message_id, tenant, received_at, scanned_at, sender, recipients, "
            + "subject, header_message_id, action, rule_id, virus, spam, spam_score, symbols, state, updated_at";

    /** Path order: by time; at the same instant RECEIVED before SCANNED before the rest; then arrival. */
    private static final String PATH = """
            SELECT at, type, detail, kind, item_id, area FROM report.message_event WHERE message_id = ?
            ORDER BY at, CASE type WHEN 'RECEIVED' THEN 0 WHEN 'SCANNED' THEN 1 ELSE 2 END, id
            """;

    private static final String DECISIONS = """
            SELECT ordinal, recipients, action, rule_id, quarantine_area, redirect_to, defer_until, bcc, matched_rules
            FROM report.message_decision WHERE message_id = ? ORDER BY ordinal
            """;

    private final AgroalDataSource dataSource;

    public TrackingReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @WithSpan
    public List<MessageSummary> find(TrackingQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM report.message WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (query.messageId() != null) {
            sql.append(" AND (message_id = ? OR header_message_id = ?)");
            params.add(query.messageId());
            params.add(query.messageId());
        }
        if (query.sender() != null) {
            sql.append(" AND lower(sender) = ?");
            params.add(query.sender());
        }
        if (query.recipient() != null) {
            sql.append(" AND recipients_lower @> ARRAY[?]::text[]");
            params.add(query.recipient());
        }
        if (query.from() != null) {
            sql.append(" AND seen_at >= ?");
            params.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" AND seen_at < ?");
            params.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        sql.append(" ORDER BY seen_at DESC, message_id LIMIT ?");
        params.add(query.limit());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<MessageSummary> found = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(summary(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("tracking query failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** The last recorded verdicts (those stored with their findings), newest first. */
    @WithSpan
    public List<RecordedMessage> recorded(RecordedQuery query) {
        String sql = "SELECT message_id, tenant, received_at, scanned_at, sender, recipients, subject, message_size, "
                + "findings::text AS findings, attachments::text AS attachments, matched_rules, action, rule_id, "
                + "policy_version FROM report.message WHERE findings IS NOT NULL"
                + (query.tenant() == null ? "" : " AND tenant = ?") + " ORDER BY seen_at DESC, message_id LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (query.tenant() != null) {
                s.setString(i++, query.tenant());
            }
            s.setInt(i, query.limit());
            s.setFetchSize(500);
            List<RecordedMessage> found = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String sender = rs.getString("sender");
                    found.add(new RecordedMessage(rs.getString("message_id"), rs.getString("tenant"),
                            instant(rs, "received_at"), instant(rs, "scanned_at"), sender == null ? "" : sender,
                            strings(rs.getArray("recipients")), rs.getString("subject"), rs.getLong("message_size"),
                            RecordedDetails.readFindings(rs.getString("findings")),
                            RecordedDetails.readAttachments(rs.getString("attachments")),
                            strings(rs.getArray("matched_rules")), rs.getString("action"), rs.getString("rule_id"),
                            rs.getObject("policy_version", Long.class)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("recorded verdict query failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    @WithSpan
    public MessageTrace trace(String messageId) {
        Span.current().setAttribute("portcullis.message.id", messageId);
        try (Connection c = dataSource.getConnection()) {
            MessageSummary message;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM report.message WHERE message_id = ?")) {
                s.setString(1, messageId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new UnknownMessageException();
                    }
                    message = summary(rs);
                }
            }
            List<PathStep> path = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(PATH)) {
                s.setString(1, messageId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        path.add(new PathStep(instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return new MessageTrace(message, path, decisions(c, messageId));
        } catch (SQLException e) {
            throw new IllegalStateException("tracking read failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** Each recipient's decision, in group order then the group's recipient order. */
    private static List<RecipientDecisionView> decisions(Connection c, String messageId) throws SQLException {
        List<RecipientDecisionView> decisions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(DECISIONS)) {
            s.setString(1, messageId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int group = rs.getInt("ordinal");
                    String action = rs.getString("action");
                    String rule = rs.getString("rule_id");
                    String area = rs.getString("quarantine_area");
                    List<String> redirectTo = strings(rs.getArray("redirect_to"));
                    Instant deferUntil = instant(rs, "defer_until");
                    List<String> bcc = strings(rs.getArray("bcc"));
                    List<String> matched = strings(rs.getArray("matched_rules"));
                    for (String recipient : strings(rs.getArray("recipients"))) {
                        decisions.add(new RecipientDecisionView(recipient, group, action, rule, area, redirectTo,
                                deferUntil, bcc, matched));
                    }
                }
            }
        }
        return decisions;
    }

    private static MessageSummary summary(ResultSet rs) throws SQLException {
        String symbols = rs.getString("symbols");
        return new MessageSummary(rs.getString("message_id"), rs.getString("tenant"),
                instant(rs, "received_at"), instant(rs, "scanned_at"), rs.getString("sender"),
                strings(rs.getArray("recipients")), rs.getString("subject"), rs.getString("header_message_id"),
                rs.getString("action"), rs.getString("rule_id"), rs.getObject("virus", Boolean.class),
                rs.getObject("spam", Boolean.class), rs.getObject("spam_score", Double.class),
                symbols == null || symbols.isEmpty() ? List.of() : List.of(symbols.split(",")),
                rs.getString("state"), instant(rs, "updated_at"));
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.copyOf(Arrays.asList((String[]) array.getArray()));
        } finally {
            array.free();
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
