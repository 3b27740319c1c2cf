package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** One audited change: who, when, which operation on what, and the JSON before and after. */
@Entity
@Table(name = "policy_audit")
public class PolicyAuditEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The policy version the change produced. */
    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    /** e.g. {@code rule.create}, {@code bundle.import}, {@code rule.expire}. */
    @Column(nullable = false)
    public String operation;

    /** Rule id, domain, sender-list entry id; null for settings. */
    public String target;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String before;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String after;
}
