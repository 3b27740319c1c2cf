package io.portcullis.contracts.policy;

/**
 * The text of a policy notice ({@code notify} action), edited by admins in policy-service. Subject and body may hold
 * the placeholders {@code {messageId} {sender} {recipients} {subject} {rule} {action}}.
 *
 * @param id      template id, as {@code notify} actions name it ({@code default} is used for unknown ids)
 * @param subject the notice's Subject (one line)
 * @param body    the notice's plain text
 */
public record NotificationTemplate(String id, String subject, String body) {
}
