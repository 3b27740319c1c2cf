package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The single row naming the active signature bundle. Its row lock serialises activations; {@link #activation}
 * grows by one with each, in commit order.
 */
@Entity
@Table(name = "signature_state")
public class SignatureState extends PanacheEntityBase {
    public static final short ID = 1;

    @Id
    public short id;

    /** Version of the active bundle, null before the first publication. */
    @Column(name = "active_version")
    public String activeVersion;

    @Column(nullable = false)
    public long activation;

    @Column(name = "activated_at")
    public Instant activatedAt;
}
