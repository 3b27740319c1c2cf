package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One editable notice text (see {@link io.portcullis.contracts.policy.NotificationTemplate}). */
@Entity
@Table(name = "notification_template")
public class NotificationTemplateEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String body;

    @Column(nullable = false)
    public Instant updated;
}
