package io.portcullis.policy.entity;

import io.portcullis.contracts.policy.SenderListEntry;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One safe-sender or blocked-sender entry; owner and sender are stored validated and normalised. */
@Entity
@Table(name = "sender_list")
public class SenderListEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String owner;

    @Column(nullable = false)
    public String sender;

    /** {@code SAFE} or {@code BLOCKED}. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public String note;

    /** Listing order: owner, sender, id. */
    public static final Sort ORDER = Sort.by("owner").and("sender").and("id");

    /** The tenant's entries as the snapshot carries them, by owner and sender. */
    public static List<SenderListEntry> entriesOf(String tenant) {
        return SenderListEntity.<SenderListEntity>list("tenant", ORDER, tenant).stream()
                .map(e -> new SenderListEntry(e.owner, e.sender, SenderListEntry.Kind.valueOf(e.kind)))
                .toList();
    }
}
