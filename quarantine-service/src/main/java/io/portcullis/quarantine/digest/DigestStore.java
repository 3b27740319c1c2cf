package io.portcullis.quarantine.digest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The digest tables (Flyway V5): schedules, batches (one per digest mail), which items a batch listed per address,
 * and used links. Items are taken from {@code quarantine_recipient}: a recipient still QUARANTINED whose item no
 * digest to that address listed yet.
 */
@ApplicationScoped
public class DigestStore {

    /** A claimed digest. */
    public record Batch(UUID id, String address, int attempts) {
    }

    /** A row of a batch: the item and whether this address's copy is still QUARANTINED. */
    public record BatchItem(String itemId, String sender, String subject, String area, Instant quarantinedAt,
            boolean held) {
    }

    private final EntityManager em;

    public DigestStore(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Optional<DigestSchedule> schedule(String address) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("SELECT schedule FROM quarantine.digest_subscription WHERE address = ?1")
                .setParameter(1, address).getResultList();
        return rows.stream().findFirst().flatMap(DigestSchedule::of);
    }

    @Transactional
    public void setSchedule(String address, DigestSchedule schedule, Instant at, String actor) {
        em.createNativeQuery("INSERT INTO quarantine.digest_subscription (address, schedule, updated_at, updated_by)"
                + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (address) DO UPDATE SET schedule = EXCLUDED.schedule,"
                + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")
                .setParameter(1, address).setParameter(2, schedule.code()).setParameter(3, at).setParameter(4, actor)
                .executeUpdate();
    }

    /** A crashed run's SENDING batches: outcome unknown, so never resent. @return how many */
    @Transactional
    public int abandonSending() {
        return em.createNativeQuery("UPDATE quarantine.digest_batch SET status = 'ABANDONED',"
                + " last_error = 'cut off while sending (crash or restart); not resent' WHERE status = 'SENDING'")
                .executeUpdate();
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<Batch> pending() {
        List<Object[]> rows = em.createNativeQuery("SELECT id, address, attempts FROM quarantine.digest_batch"
                + " WHERE status = 'PENDING' ORDER BY created_at").getResultList();
        return rows.stream().map(r -> new Batch((UUID) r[0], (String) r[1], ((Number) r[2]).intValue())).toList();
    }

    /** Addresses with held items no digest to them listed yet, with the time of their last digest (or null). */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Object[]> candidates() {
        return em.createNativeQuery("SELECT c.address, s.schedule, (SELECT max(b.created_at) FROM quarantine.digest_batch b"
                + " WHERE b.address = c.address AND b.status <> 'FAILED') FROM (SELECT DISTINCT r.address"
                + " FROM quarantine.quarantine_recipient r WHERE r.status = 'QUARANTINED' AND NOT EXISTS (SELECT 1"
                + " FROM quarantine.digest_item d WHERE d.address = r.address AND d.item_id = r.item_id)) c"
                + " LEFT JOIN quarantine.digest_subscription s ON s.address = c.address ORDER BY c.address")
                .getResultList();
    }

    /**
     * Claims up to {@code max} of the address's unlisted held items for a new PENDING batch, in one transaction.
     *
     * @return the batch, or empty when nothing was left to claim
     */
    @Transactional
    public Optional<Batch> claim(String address, int max, Instant at) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("INSERT INTO quarantine.digest_batch (id, address, created_at, status)"
                + " VALUES (?1, ?2, ?3, 'PENDING')").setParameter(1, id).setParameter(2, address).setParameter(3, at)
                .executeUpdate();
        int claimed = em.createNativeQuery("INSERT INTO quarantine.digest_item (address, item_id, batch_id)"
                + " SELECT r.address, r.item_id, ?2 FROM quarantine.quarantine_recipient r"
                + " JOIN quarantine.quarantined_message m ON m.item_id = r.item_id"
                + " WHERE r.address = ?1 AND r.status = 'QUARANTINED' AND NOT EXISTS (SELECT 1"
                + " FROM quarantine.digest_item d WHERE d.address = r.address AND d.item_id = r.item_id)"
                + " ORDER BY m.quarantined_at, m.item_id LIMIT ?3 ON CONFLICT DO NOTHING")
                .setParameter(1, address).setParameter(2, id).setParameter(3, max).executeUpdate();
        if (claimed == 0) {
            em.createNativeQuery("DELETE FROM quarantine.digest_batch WHERE id = ?1").setParameter(1, id)
                    .executeUpdate();
            return Optional.empty();
        }
        return Optional.of(new Batch(id, address, 0));
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<BatchItem> items(UUID batch) {
        List<Object[]> rows = em.createNativeQuery("SELECT m.item_id, m.sender, m.subject, m.area, m.quarantined_at,"
                + " coalesce(r.status = 'QUARANTINED', false) FROM quarantine.digest_item d"
                + " JOIN quarantine.quarantined_message m ON m.item_id = d.item_id"
                + " LEFT JOIN quarantine.quarantine_recipient r ON r.item_id = d.item_id AND r.address = d.address"
                + " WHERE d.batch_id = ?1 ORDER BY m.quarantined_at, m.item_id").setParameter(1, batch).getResultList();
        return rows.stream().map(r -> new BatchItem((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                instant(r[4]), Boolean.TRUE.equals(r[5]))).toList();
    }

    /** PENDING → SENDING, one more attempt. @return false when the batch was not PENDING */
    @Transactional
    public boolean markSending(UUID batch) {
        return em.createNativeQuery("UPDATE quarantine.digest_batch SET status = 'SENDING', attempts = attempts + 1"
                + " WHERE id = ?1 AND status = 'PENDING'").setParameter(1, batch).executeUpdate() == 1;
    }

    @Transactional
    public void markSent(UUID batch, Instant at, String note) {
        em.createNativeQuery("UPDATE quarantine.digest_batch SET status = 'SENT', sent_at = ?2, last_error = ?3"
                + " WHERE id = ?1").setParameter(1, batch).setParameter(2, at).setParameter(3, note).executeUpdate();
    }

    /** After a refused or failed send: PENDING again (retried next run), or FAILED after {@code maxAttempts}. */
    @Transactional
    public void markFailed(UUID batch, String error, int maxAttempts) {
        em.createNativeQuery("UPDATE quarantine.digest_batch SET status = CASE WHEN attempts >= ?3 THEN 'FAILED'"
                + " ELSE 'PENDING' END, last_error = ?2 WHERE id = ?1").setParameter(1, batch)
                .setParameter(2, error.length() > 500 ? error.substring(0, 500) : error).setParameter(3, maxAttempts)
                .executeUpdate();
    }

    /** @return false when the link was used before (the row exists) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordUse(DigestLink link, Instant at) {
        return em.createNativeQuery("INSERT INTO quarantine.digest_link_use (token_id, item_id, address, action, used_at)"
                + " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (token_id) DO NOTHING").setParameter(1, link.id())
                .setParameter(2, link.itemId()).setParameter(3, link.recipient()).setParameter(4, link.action().code())
                .setParameter(5, at).executeUpdate() == 1;
    }

    @Transactional
    public boolean used(UUID tokenId) {
        return !em.createNativeQuery("SELECT 1 FROM quarantine.digest_link_use WHERE token_id = ?1")
                .setParameter(1, tokenId).getResultList().isEmpty();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected time type " + value.getClass());
    }
}
