package io.portcullis.quarantine.repository;

import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.service.Addresses;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/** Reads and writes the quarantine index. Every write is idempotent. */
@ApplicationScoped
public class QuarantineRepository implements PanacheRepositoryBase<QuarantinedMessage, String> {

    /**
     * Inserts the item and one {@code quarantine_recipient} row per distinct canonical recipient, in one transaction.
     *
     * @return true when the row was inserted, false when a row with that id already existed
     */
    @Transactional
    public boolean insertIfAbsent(QuarantinedMessage row) {
        if (findById(row.itemId) != null) {
            return false;
        }
        persist(row);
        flush();
        Set<String> seen = new HashSet<>();
        for (String original : row.recipients) {
            String address = Addresses.canonical(original);
            if (address != null && !address.isEmpty() && seen.add(address)) {
                getEntityManager().createNativeQuery("INSERT INTO quarantine.quarantine_recipient"
                        + " (item_id, address, original, status, quarantined_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                        + " ON CONFLICT DO NOTHING")
                        .setParameter(1, row.itemId).setParameter(2, address).setParameter(3, original)
                        .setParameter(4, RecipientStatus.QUARANTINED.name()).setParameter(5, row.quarantinedAt)
                        .executeUpdate();
            }
        }
        return true;
    }

    /** The recipients of an item, by address. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<RecipientState> recipients(String itemId) {
        List<Object[]> rows = getEntityManager().createNativeQuery("SELECT address, original, status, changed_at,"
                + " changed_by FROM quarantine.quarantine_recipient WHERE item_id = ?1 ORDER BY address")
                .setParameter(1, itemId).getResultList();
        return rows.stream().map(QuarantineRepository::recipient).toList();
    }

    /**
     * Moves the given recipients of an item from one of {@code from} to {@code to}.
     *
     * @return how many recipients changed
     */
    @Transactional
    public int transitionRecipients(String itemId, Collection<String> addresses, RecipientStatus to,
            Collection<RecipientStatus> from, Instant at, String actor) {
        if (addresses.isEmpty()) {
            return 0;
        }
        return getEntityManager().createNativeQuery("UPDATE quarantine.quarantine_recipient SET status = ?1,"
                + " changed_at = ?2, changed_by = ?3 WHERE item_id = ?4 AND address IN (?5) AND status IN (?6)")
                .setParameter(1, to.name()).setParameter(2, at).setParameter(3, actor).setParameter(4, itemId)
                .setParameter(5, List.copyOf(addresses))
                .setParameter(6, from.stream().map(Enum::name).toList())
                .executeUpdate();
    }

    /**
     * Sets the item's status from its recipients': QUARANTINED while any is held, else RELEASED when any was
     * released, else DELETED. An item without recipient rows keeps its status.
     *
     * @return the item's status afterwards (empty when there is no such item)
     */
    @Transactional
    public Optional<QuarantineStatus> refreshStatus(String itemId, Instant at, String actor) {
        getEntityManager().createNativeQuery("UPDATE quarantine.quarantined_message m SET status = s.st,"
                + " status_changed_at = ?2, status_changed_by = ?3 FROM (SELECT CASE"
                + " WHEN bool_or(status IN ('QUARANTINED', 'RELEASE_REQUESTED')) THEN 'QUARANTINED'"
                + " WHEN bool_or(status = 'RELEASED') THEN 'RELEASED' ELSE 'DELETED' END AS st"
                + " FROM quarantine.quarantine_recipient WHERE item_id = ?1 HAVING count(*) > 0) s"
                + " WHERE m.item_id = ?1 AND m.status <> s.st")
                .setParameter(1, itemId).setParameter(2, at).setParameter(3, actor).executeUpdate();
        @SuppressWarnings("unchecked")
        List<String> status = getEntityManager().createNativeQuery(
                "SELECT status FROM quarantine.quarantined_message WHERE item_id = ?1").setParameter(1, itemId)
                .getResultList();
        return status.stream().findFirst().map(QuarantineStatus::valueOf);
    }

    /** Whether an item other than {@code itemId}, not DELETED, still points at this object. */
    @Transactional
    public boolean objectSharedByLiveItem(String itemId, String bucket, String objectKey) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM quarantine.quarantined_message WHERE bucket = ?1"
                + " AND object_key = ?2 AND item_id <> ?3 AND status <> 'DELETED' AND purge_marked_at IS NULL LIMIT 1")
                .setParameter(1, bucket).setParameter(2, objectKey).setParameter(3, itemId).getResultList().isEmpty();
    }

    private static RecipientState recipient(Object[] r) {
        return new RecipientState((String) r[0], (String) r[1], RecipientStatus.valueOf((String) r[2]),
                instant(r[3]), (String) r[4]);
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
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
}
