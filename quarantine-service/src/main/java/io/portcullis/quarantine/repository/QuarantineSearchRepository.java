package io.portcullis.quarantine.repository;

import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.service.SearchFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Read side of the index for lists and searches, in plain JDBC (see {@link SearchSql}). */
@ApplicationScoped
public class QuarantineSearchRepository {
    static final String SCHEMA = "quarantine";

    private final DataSource dataSource;

    public QuarantineSearchRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Newest first. */
    public List<QuarantinedMessage> page(SearchFilter filter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = SearchSql.of(SCHEMA, filter).page(c, filter.limit(), filter.offset());
                ResultSet rs = s.executeQuery()) {
            List<QuarantinedMessage> items = new ArrayList<>();
            while (rs.next()) {
                items.add(item(rs));
            }
            return items;
        }
    }

    public long count(SearchFilter filter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = SearchSql.of(SCHEMA, filter).count(c);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The recipients of these items, by item id (items in the given order). */
    public Map<String, List<RecipientState>> recipients(List<String> itemIds) throws SQLException {
        Map<String, List<RecipientState>> out = new LinkedHashMap<>();
        itemIds.forEach(id -> out.put(id, new ArrayList<>()));
        if (itemIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT item_id, address, original, status, changed_at,"
                        + " changed_by FROM " + SCHEMA + ".quarantine_recipient WHERE item_id = ANY(?)"
                        + " ORDER BY item_id, address")) {
            s.setArray(1, c.createArrayOf("text", itemIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getString(1)).add(new RecipientState(rs.getString(2), rs.getString(3),
                            RecipientStatus.valueOf(rs.getString(4)), instant(rs, 5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    static QuarantinedMessage item(ResultSet rs) throws SQLException {
        QuarantinedMessage m = new QuarantinedMessage();
        m.itemId = rs.getString(1);
        m.messageId = rs.getString(2);
        m.area = rs.getString(3);
        m.tenant = rs.getString(4);
        m.receivedAt = instant(rs, 5);
        m.quarantinedAt = instant(rs, 6);
        m.sender = rs.getString(7);
        Array recipients = rs.getArray(8);
        m.recipients = recipients == null ? List.of() : Arrays.asList((String[]) recipients.getArray());
        m.subject = rs.getString(9);
        m.reason = rs.getString(10);
        m.size = rs.getLong(11);
        m.sha256 = rs.getString(12);
        m.bucket = rs.getString(13);
        m.objectKey = rs.getString(14);
        m.status = QuarantineStatus.valueOf(rs.getString(15));
        m.envelope = rs.getString(16);
        m.statusChangedAt = instant(rs, 17);
        m.statusChangedBy = rs.getString(18);
        return m;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
