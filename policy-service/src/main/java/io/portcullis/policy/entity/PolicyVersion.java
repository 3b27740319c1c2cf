package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row holding the policy version; its row lock serialises policy changes. */
@Entity
@Table(name = "policy_version")
public class PolicyVersion extends PanacheEntityBase {
    public static final short ID = 1;

    @Id
    public short id;

    @Column(nullable = false)
    public long version;
}
