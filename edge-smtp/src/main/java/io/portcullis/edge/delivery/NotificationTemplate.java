package io.portcullis.edge.delivery;

import java.util.Objects;

/**
 * The text of a policy notice. Both parts may hold the placeholders {@code {messageId} {sender} {recipients}
 * {subject} {rule} {action}}.
 *
 * @param id      template id
 * @param subject the Subject of the notice (one line; control characters of filled-in values never reach it)
 * @param body    the plain text of the notice
 */
public record NotificationTemplate(String id, String subject, String body) {
    public NotificationTemplate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
    }
}
