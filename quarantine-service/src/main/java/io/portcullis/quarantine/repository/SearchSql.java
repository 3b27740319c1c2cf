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
    /** With owners: the FROM clause driving from the recipients' owner index, and its parameters (bound first). */
    private String from;
    private String union;
    /** With several owner addresses: keeps each item once. */
    private String dedup = "";
    private final List<Object> dedupParams = new ArrayList<>();
    private final List<Object> fromParams = new ArrayList<>();
    private String order = " ORDER BY m.quarantined_at DESC, m.item_id DESC";
    /** Whether a condition on the item itself (not only on its recipients) was added. */
    private boolean itemConditions;

    private SearchSql(String schema) {
        this.schema = schema;
    }

    /** The conditions of a filter (everything but paging order and limit). */
    public static SearchSql of(String schema, SearchFilter filter) {
        SearchSql sql = new SearchSql(schema);
        if (filter.areas().size() == 1) {
            sql.and("m.area = ?", filter.areas().get(0));
        } else if (!filter.areas().isEmpty()) {
            sql.and("m.area = ANY(?)", (Object) filter.areas().toArray(String[]::new));
        }
        if (filter.owners() != null) {
            sql.owners(filter);
        } else if (filter.status() == RecipientStatus.RELEASE_REQUESTED) {
            sql.and("EXISTS (SELECT 1 FROM " + schema + ".quarantine_recipient r WHERE r.item_id = m.item_id"
                    + " AND r.status = 'RELEASE_REQUESTED')");
        } else if (filter.status() != null) {
            sql.and("m.status = ?", filter.status().name());
        }
        if (filter.sender() != null) {
            sql.and("lower(m.sender) = lower(?)", filter.sender());
        }
        if (filter.from() != null && sql.from == null) {
            sql.and("m.quarantined_at >= ?", time(filter.from()));
        }
        if (filter.to() != null && sql.from == null) {
            sql.and("m.quarantined_at < ?", time(filter.to()));
        }
        if (filter.q() != null) {
            sql.and("m.search @@ websearch_to_tsquery('simple', ?)", filter.q());
        }
        if (filter.after() != null && sql.from == null) {
            sql.and("(m.quarantined_at, m.item_id) < (?, ?)", time(filter.after().quarantinedAt()),
                    filter.after().itemId());
        }
        return sql;
    }

    /**
     * A user's items: one newest-first range of the owner index per address ({@code (address, quarantined_at,
     * item_id)}, or {@code (address, status, ...)} with a status), merged by PostgreSQL (Merge Append) and joined to
     * the items, so a page reads about as many rows as it shows. An item addressed to two of the addresses is kept
     * from the smallest address only (a per-row probe after the merge, so the merge stays lazy). Status, date range
     * and cursor apply to the recipient rows (their {@code quarantined_at} is the item's).
     */
    private void owners(SearchFilter filter) {
        List<String> addresses = filter.owners().stream().sorted().toList();
        if (addresses.isEmpty()) {
            and("false");
            return;
        }
        StringBuilder branches = new StringBuilder();
        for (int i = 0; i < addresses.size(); i++) {
            branches.append(i == 0 ? "(" : " UNION ALL (")
                    .append("SELECT r.item_id, r.quarantined_at, r.address FROM ").append(schema)
                    .append(".quarantine_recipient r WHERE r.address = ?");
            fromParams.add(addresses.get(i));
            if (filter.status() != null) {
                branches.append(" AND r.status = ?");
                fromParams.add(filter.status().name());
            }
            if (filter.from() != null) {
                branches.append(" AND r.quarantined_at >= ?");
                fromParams.add(time(filter.from()));
            }
            if (filter.to() != null) {
                branches.append(" AND r.quarantined_at < ?");
                fromParams.add(time(filter.to()));
            }
            if (filter.after() != null) {
                branches.append(" AND (r.quarantined_at, r.item_id) < (?, ?)");
                fromParams.add(time(filter.after().quarantinedAt()));
                fromParams.add(filter.after().itemId());
            }
            branches.append(" ORDER BY r.quarantined_at DESC, r.item_id DESC)");
        }
        union = branches.toString();
        from = "(" + union + ") o JOIN " + schema + ".quarantined_message m ON m.item_id = o.item_id";
        order = " ORDER BY o.quarantined_at DESC, o.item_id DESC";
        if (addresses.size() > 1) {
            dedup = " AND NOT EXISTS (SELECT 1 FROM " + schema + ".quarantine_recipient r2 WHERE r2.item_id = o.item_id"
                    + " AND r2.address = ANY(?) AND r2.address < o.address"
                    + (filter.status() != null ? " AND r2.status = ?)" : ")");
            dedupParams.add(addresses.toArray(String[]::new));
            if (filter.status() != null) {
                dedupParams.add(filter.status().name());
            }
        }
    }

    /** Newest first, {@code limit} rows after {@code offset}. */
    public PreparedStatement page(Connection connection, int limit, int offset) throws SQLException {
        return page(connection, limit, offset, "");
    }

    /** The page query behind a prefix such as {@code EXPLAIN ANALYZE } (the benchmark's). */
    public PreparedStatement page(Connection connection, int limit, int offset, String prefix) throws SQLException {
        List<Object> all = new ArrayList<>(fromParams);
        all.addAll(params);
        all.addAll(dedupParams);
        all.add(limit);
        all.add(offset);
        return prepare(connection, prefix + pageText(), all);
    }

    public PreparedStatement count(Connection connection) throws SQLException {
        return count(connection, "");
    }

    /**
     * Counts do not leave out items the retention job has marked (pages do): that would cost a heap visit per
     * counted row; marked items are gone within one retention run. A count over owners only reads their index.
     */
    public PreparedStatement count(Connection connection, String prefix) throws SQLException {
        List<Object> all = new ArrayList<>(fromParams);
        if (from != null && !itemConditions) {
            return prepare(connection, prefix + "SELECT count(DISTINCT o.item_id) FROM (" + union + ") o", all);
        }
        all.addAll(params);
        String distinct = from != null ? "count(DISTINCT o.item_id)" : "count(*)";
        return prepare(connection, prefix + "SELECT " + distinct + " FROM " + from() + where(), all);
    }

    /** The SQL text of the page query (items being removed by retention left out). */
    public String pageText() {
        String live = (where.isEmpty() ? " WHERE m.purge_marked_at IS NULL" : where() + " AND m.purge_marked_at IS NULL")
                + dedup;
        return "SELECT " + COLUMNS + " FROM " + from() + live + order + " LIMIT ? OFFSET ?";
    }

    private String from() {
        return from != null ? from : schema + ".quarantined_message m";
    }

    private String where() {
        return where.isEmpty() ? "" : " WHERE " + where.substring(5);
    }

    private void and(String condition, Object... values) {
        itemConditions = true;
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
