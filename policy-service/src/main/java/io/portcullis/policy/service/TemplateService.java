package io.portcullis.policy.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.policy.NotificationTemplate;
import io.portcullis.policy.entity.NotificationTemplateEntity;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The editable texts of policy notices: each change is checked, versioned, audited with its actor and announced like
 * every policy change, and the snapshot carries the templates to every edge.
 */
@ApplicationScoped
public class TemplateService {
    private static final Logger LOG = Logger.getLogger(TemplateService.class);
    /** Placeholders a template may use; anything else in braces is refused, so a typo never reaches a notice. */
    public static final Set<String> PLACEHOLDERS = Set.of("messageId", "sender", "recipients", "subject", "rule",
            "action");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    static final int MAX_SUBJECT = 200;
    static final int MAX_BODY = 20_000;

    private final PolicyChangeLog changeLog;
    private final Clock clock = Clock.systemUTC();

    public TemplateService(PolicyChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    /** The request body of a template: its texts (the id is in the path). */
    public record TemplateText(String subject, String body) {
    }

    @WithSpan
    @Transactional
    public List<NotificationTemplate> list() {
        return NotificationTemplateEntity.<NotificationTemplateEntity>listAll(Sort.by("id")).stream()
                .map(TemplateService::contract).toList();
    }

    @WithSpan
    @Transactional
    public NotificationTemplate get(String id) {
        NotificationTemplateEntity e = NotificationTemplateEntity.findById(id);
        if (e == null) {
            throw new UnknownEntryException("id", "no such template");
        }
        return contract(e);
    }

    /** Creates or replaces a template; 400 naming the field for a bad id, subject, body or placeholder. */
    @WithSpan
    @Transactional
    public NotificationTemplate put(String id, TemplateText text, String actorHeader) {
        NotificationTemplate valid = validate(id, text);
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        NotificationTemplateEntity e = NotificationTemplateEntity.findById(valid.id());
        NotificationTemplate before = e == null ? null : contract(e);
        if (e == null) {
            e = new NotificationTemplateEntity();
            e.id = valid.id();
        }
        e.subject = valid.subject();
        e.body = valid.body();
        e.updated = clock.instant();
        e.persist();
        long version = changeLog.record("templates", actor, List.of(new AuditChange(
                before == null ? "template.create" : "template.replace", valid.id(), before, valid)));
        LOG.infof("notification template %s saved by %s, policy version %d", valid.id(), actor, version);
        return valid;
    }

    @WithSpan
    @Transactional
    public void delete(String id, String actorHeader) {
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        NotificationTemplateEntity e = NotificationTemplateEntity.findById(id == null ? "" : id);
        if (e == null) {
            throw new UnknownEntryException("id", "no such template");
        }
        NotificationTemplate before = contract(e);
        e.delete();
        long version = changeLog.record("templates", actor,
                List.of(new AuditChange("template.delete", before.id(), before, null)));
        LOG.infof("notification template %s removed by %s, policy version %d", before.id(), actor, version);
    }

    static NotificationTemplate validate(String id, TemplateText text) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidPolicyException("id", "a template id is 1-64 of letters, digits, _ . - (not starting"
                    + " with a punctuation mark)");
        }
        if (text == null) {
            throw new InvalidPolicyException("subject", "subject and body are required");
        }
        String subject = text.subject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT
                || subject.chars().anyMatch(c -> c < 32 || c == 127)) {
            throw new InvalidPolicyException("subject", "one line of 1-" + MAX_SUBJECT
                    + " characters without control characters");
        }
        String body = text.body();
        if (body == null || body.isBlank() || body.length() > MAX_BODY
                || body.chars().anyMatch(c -> c < 32 && c != '\n' && c != '\r' && c != '\t' || c == 127)) {
            throw new InvalidPolicyException("body", "1-" + MAX_BODY + " characters of text");
        }
        placeholders(subject, "subject");
        placeholders(body, "body");
        return new NotificationTemplate(id, subject, body);
    }

    private static void placeholders(String text, String field) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new InvalidPolicyException(field, "unknown placeholder {" + m.group(1) + "} (known: "
                        + new java.util.TreeSet<>(PLACEHOLDERS) + ")");
            }
        }
    }

    public static NotificationTemplate contract(NotificationTemplateEntity e) {
        return new NotificationTemplate(e.id, e.subject, e.body);
    }
}
