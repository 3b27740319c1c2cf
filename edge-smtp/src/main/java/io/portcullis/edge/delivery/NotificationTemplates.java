package io.portcullis.edge.delivery;

/**
 * Where policy notices get their text. Today only the built-in templates ({@link BuiltInNotificationTemplates});
 * policy-service-managed, editable templates can plug in behind this interface later.
 */
public interface NotificationTemplates {

    /** Id of the template every unknown id falls back to. */
    String DEFAULT = "default";

    /** The template with this id, or the {@value #DEFAULT} template when there is none (never null). */
    NotificationTemplate find(String id);
}
