package io.portcullis.quarantine.repository;

import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes the quarantine index. Every write is idempotent. */
@ApplicationScoped
public class QuarantineRepository implements PanacheRepositoryBase<QuarantinedMessage, String> {

    /** Filters for {@link #search}; null means "any". */
    public record Filter(QuarantineStatus status, String sender, String recipient) {
    }

    /** @return true when the row was inserted, false when a row with that id already existed */
    @Transactional
    public boolean insertIfAbsent(QuarantinedMessage row) {
        if (findById(row.itemId) != null) {
            return false;
        }
        persist(row);
        return true;
    }

    /** The item with this id (for a message quarantined once, its message id). */
    @Transactional
    public Optional<QuarantinedMessage> find(String itemId) {
        return findByIdOptional(itemId);
    }

    /** The item of a message whose body is at this object (what a QuarantineEvent carries). */
    @Transactional
    public Optional<QuarantinedMessage> findByObject(String messageId, String bucket, String objectKey) {
        return find("messageId = ?1 and bucket = ?2 and objectKey = ?3", messageId, bucket, objectKey)
                .firstResultOptional();
    }

    /**
     * Moves a row from one status to another.
     *
     * @return true when the row was in {@code from} and is now in {@code to}
     */
    @Transactional
    public boolean transition(String itemId, QuarantineStatus to, List<QuarantineStatus> from, Instant at,
            String actor) {
        return update("status = ?1, statusChangedAt = ?2, statusChangedBy = ?3 where itemId = ?4 and status in ?5",
                to, at, actor, itemId, from) == 1;
    }

    /** Newest first. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<QuarantinedMessage> search(Filter filter, int limit, int offset) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        Query query = getEntityManager().createNativeQuery(
                "SELECT m.* FROM quarantine.quarantined_message m" + where
                        + " ORDER BY m.quarantined_at DESC, m.item_id DESC LIMIT :limit OFFSET :offset",
                QuarantinedMessage.class);
        params.forEach(query::setParameter);
        query.setParameter("limit", limit);
        query.setParameter("offset", offset);
        return query.getResultList();
    }

    @Transactional
    public long countMatching(Filter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        Query query = getEntityManager().createNativeQuery(
                "SELECT count(*) FROM quarantine.quarantined_message m" + where(filter, params), Long.class);
        params.forEach(query::setParameter);
        return ((Number) query.getSingleResult()).longValue();
    }

    private static String where(Filter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder();
        if (filter.status() != null) {
            where.append(" AND m.status = :status");
            params.put("status", filter.status().name());
        }
        if (filter.sender() != null) {
            where.append(" AND lower(m.sender) = lower(:sender)");
            params.put("sender", filter.sender());
        }
        if (filter.recipient() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM unnest(m.recipients) r WHERE lower(r) = lower(:recipient))");
            params.put("recipient", filter.recipient());
        }
        return where.isEmpty() ? "" : " WHERE" + where.substring(4);
    }
}
