package io.portcullis.quarantine.repository;

import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.service.SearchFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a {@link SearchFilter}: plain JDBC with bound parameters only (no value is ever spliced into the text).
 * Shared by {@link QuarantineSearchRepository} and the benchmark, so the benchmark measures the production queries.
 */
public final class SearchSql {
    /** Columns of {@code quarantined_message} the item mapping reads, in this order. */
    public static final String COLUMNS = "m.item_id, m.message_id, m.area, m.tenant, m.received_at, m.quarantined_at,"
            + " m.sender, m.recipients, m.subject, m.reason, m.size_bytes, m.sha256, m.bucket, m.object_key, m.status,"
            + " m.envelope, m.status_changed_at, m.status_changed_by";

    private final String schema;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private SearchSql(String schema) {
        this.schema = schema;
    }

    /** The conditions of a filter (everything but paging order and limit). */
    public static SearchSql of(String schema, SearchFilter filter) {
        SearchSql sql = new SearchSql(schema);
        sql.and("m.purge_marked_at IS NULL");
        if (filter.areas().size() == 1) {
            sql.and("m.area = ?", filter.areas().get(0));
        } else if (!filter.areas().isEmpty()) {
            sql.and("m.area = ANY(?)", filter.areas().toArray(String[]::new));
        }
        if (filter.owners() != null) {
            String owned = "EXISTS (SELECT 1 FROM " + schema + ".quarantine_recipient r WHERE r.item_id = m.item_id"
                    + " AND r.address = ANY(?)";
            if (filter.status() != null) {
                sql.and(owned + " AND r.status = ?)", filter.owners().toArray(String[]::new), filter.status().name());
            } else {
                sql.and(owned + ")", (Object) filter.owners().toArray(String[]::new));
            }
        } else if (filter.status() == RecipientStatus.RELEASE_REQUESTED) {
            sql.and("EXISTS (SELECT 1 FROM " + schema + ".quarantine_recipient r WHERE r.item_id = m.item_id"
                    + " AND r.status = 'RELEASE_REQUESTED')");
        } else if (filter.status() != null) {
            sql.and("m.status = ?", filter.status().name());
        }
        if (filter.sender() != null) {
            sql.and("lower(m.sender) = lower(?)", filter.sender());
        }
        if (filter.from() != null) {
            sql.and("m.quarantined_at >= ?", time(filter.from()));
        }
        if (filter.to() != null) {
            sql.and("m.quarantined_at < ?", time(filter.to()));
        }
        if (filter.q() != null) {
            sql.and("m.search @@ websearch_to_tsquery('simple', ?)", filter.q());
        }
        if (filter.after() != null) {
            sql.and("(m.quarantined_at, m.item_id) < (?, ?)", time(filter.after().quarantinedAt()),
                    filter.after().itemId());
        }
        return sql;
    }

    /** Newest first, {@code limit} rows after {@code offset}. */
    public PreparedStatement page(Connection connection, int limit, int offset) throws SQLException {
        String text = "SELECT " + COLUMNS + " FROM " + schema + ".quarantined_message m" + where()
                + " ORDER BY m.quarantined_at DESC, m.item_id DESC LIMIT ? OFFSET ?";
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        return prepare(connection, text, all);
    }

    public PreparedStatement count(Connection connection) throws SQLException {
        return prepare(connection, "SELECT count(*) FROM " + schema + ".quarantined_message m" + where(), params);
    }

    /** The SQL text of the page query (for EXPLAIN in the benchmark). */
    public String pageText() {
        return "SELECT " + COLUMNS + " FROM " + schema + ".quarantined_message m" + where()
                + " ORDER BY m.quarantined_at DESC, m.item_id DESC LIMIT ? OFFSET ?";
    }

    private String where() {
        return where.isEmpty() ? "" : " WHERE " + where.substring(5);
    }

    private void and(String condition, Object... values) {
        where.append(" AND ").append(condition);
        params.addAll(List.of(values));
    }

    private static PreparedStatement prepare(Connection connection, String text, List<Object> values)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text);
        try {
            for (int i = 0; i < values.size(); i++) {
                Object value = values.get(i);
                if (value instanceof String[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
