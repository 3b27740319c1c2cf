package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A domain the edge accepts mail for, stored lower case. */
@Entity
@Table(name = "accepted_domain")
public class AcceptedDomain extends PanacheEntityBase {
    @Id
    public String domain;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
