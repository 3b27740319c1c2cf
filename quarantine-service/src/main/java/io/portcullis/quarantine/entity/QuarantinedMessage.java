package io.portcullis.quarantine.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of the quarantine index (schema {@code quarantine}, owned by Flyway). */
@Entity
@Table(name = "quarantined_message")
public class QuarantinedMessage {

    /**
     * The item: the message id for the first quarantined group of a message, {@code <messageId>.q<n>} for the n-th
     * (a message split by per-recipient policy may be quarantined more than once).
     */
    @Id
    @Column(name = "item_id")
    public String itemId;

    /** The queue id of the message. */
    @Column(name = "message_id")
    public String messageId;

    /** The quarantine area (a-z, 0-9, '-'): the rule's, or the default of the message's class. */
    public String area;

    public String tenant;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "quarantined_at")
    public Instant quarantinedAt;

    /** Envelope sender ("" for the null sender). */
    public String sender;

    /** The recipients of this item (its group's), the ones a release delivers to. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> recipients;

    public String subject;

    /** The deciding rule and symbols. */
    public String reason;

    @Column(name = "size_bytes")
    public long size;

    public String sha256;

    public String bucket;

    @Column(name = "object_key")
    public String objectKey;

    @Enumerated(EnumType.STRING)
    public QuarantineStatus status;

    /** The SMTP envelope as {@code EventJson} (mailFrom, helo, clientIp, tls), recipients: this item's. */
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String envelope;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;

    @Column(name = "status_changed_by")
    public String statusChangedBy;

    /** Set by the retention job when it starts removing the item; such items are no longer listed. */
    @Column(name = "purge_marked_at")
    public Instant purgeMarkedAt;

    /** Whether the retention job has published the DELETED event of a marked item. */
    @Column(name = "purge_announced")
    public boolean purgeAnnounced;
}
