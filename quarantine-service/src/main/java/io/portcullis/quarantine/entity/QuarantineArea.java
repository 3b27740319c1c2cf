package io.portcullis.quarantine.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A quarantine area (table {@code quarantine_area}): retention and what end users may do there. */
@Entity
@Table(name = "quarantine_area")
public class QuarantineArea {
    /** The area every item whose area is unknown is treated as. */
    public static final String FALLBACK = "policy";

    @Id
    public String name;

    /** Items older than this many days (since quarantined) are removed by the retention job. */
    @Column(name = "retention_days")
    public int retentionDays;

    @Enumerated(EnumType.STRING)
    @Column(name = "user_right")
    public UserRight userRight;

    public String description;

    /** Seeded by the migration; cannot be deleted. */
    @Column(name = "built_in")
    public boolean builtIn;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
