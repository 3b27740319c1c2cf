package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** The policy snapshot (without sender lists) as it was right after the change that made a version. */
@Entity
@Table(name = "policy_version_snapshot")
public class PolicyVersionSnapshot extends PanacheEntityBase {
    @Id
    public long version;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    /** The PolicyChanged {@code what}: rules, domains, settings, sender-lists. */
    @Column(nullable = false)
    public String what;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String snapshot;
}
