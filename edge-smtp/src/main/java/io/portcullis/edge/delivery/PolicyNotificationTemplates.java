package io.portcullis.edge.delivery;

import io.portcullis.edge.policy.AcceptedDomains;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Notice texts: the admins' template with the id from the policy snapshot, else their {@value #DEFAULT} template,
 * else the built-in one (so a notice always has a text, and a template change reaches every edge with the next
 * snapshot).
 */
@ApplicationScoped
public class PolicyNotificationTemplates implements NotificationTemplates {
    private final AcceptedDomains policy;
    private final BuiltInNotificationTemplates builtIn = new BuiltInNotificationTemplates();

    public PolicyNotificationTemplates(AcceptedDomains policy) {
        this.policy = policy;
    }

    @Override
    public NotificationTemplate find(String id) {
        io.portcullis.contracts.policy.NotificationTemplate t = policy.template(id);
        if (t == null) {
            t = policy.template(DEFAULT);
        }
        return t == null ? builtIn.find(id) : new NotificationTemplate(t.id(), t.subject(), t.body());
    }
}
