package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One global setting as text; {@link io.portcullis.policy.service.PolicyService} knows the keys. */
@Entity
@Table(name = "setting")
public class Setting extends PanacheEntityBase {
    public static final String SPAM_THRESHOLD = "spam_threshold";
    public static final String BLOCKED_EXTENSIONS = "blocked_extensions";

    @Id
    public String key;

    @Column(nullable = false)
    public String value;
}
