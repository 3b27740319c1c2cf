package io.portcullis.policy.entity;

import io.portcullis.contracts.events.HeaderField;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One policy rule; {@code match} and {@code action} are stored as validated text. */
@Entity
@Table(name = "rule")
public class RuleEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int priority;

    @Column(nullable = false)
    public String match;

    @Column(nullable = false)
    public String action;

    @Column(name = "subject_prefix")
    public String subjectPrefix;

    @Column(name = "add_headers", nullable = false)
    @Convert(converter = HeaderListConverter.class)
    public List<HeaderField> addHeaders;

    @Column(nullable = false)
    public boolean enabled;

    @Column(nullable = false)
    public Instant created;

    @Column(nullable = false)
    public Instant updated;
}
