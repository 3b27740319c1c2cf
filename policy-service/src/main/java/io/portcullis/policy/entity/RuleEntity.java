package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One policy rule in the full form (docs/policy.md), stored as validated by policy-engine. {@code scope},
 * {@code conditions} and {@code actions} are JSON ({@code jsonb}) written by {@link RuleJson}. The short-form
 * columns of V1 are no longer mapped (V8 migrated them).
 */
@Entity
@Table(name = "rule")
public class RuleEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int priority;

    /** INBOUND, OUTBOUND or BOTH. */
    @Column(nullable = false)
    public String direction;

    /** {@link io.portcullis.contracts.policy.RuleScope} as JSON. */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String scope;

    /** List of {@link io.portcullis.contracts.policy.RuleCondition} as JSON. */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String conditions;

    /** List of {@link io.portcullis.contracts.policy.RuleAction} as JSON. */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String actions;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Source cluster of the bundle the rule came from, or null for a rule made here. */
    public String source;

    /** Whether the rule came from an outbreak bundle. */
    @Column(nullable = false)
    public boolean outbreak;

    @Column(nullable = false)
    public boolean enabled;

    @Column(nullable = false)
    public Instant created;

    @Column(nullable = false)
    public Instant updated;
}
