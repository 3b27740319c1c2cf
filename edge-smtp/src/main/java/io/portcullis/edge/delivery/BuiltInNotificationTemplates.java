package io.portcullis.edge.delivery;

import java.util.Map;

/**
 * The templates shipped with Portcullis: only {@value NotificationTemplates#DEFAULT}; any id falls back to it. Admins'
 * templates come first ({@link PolicyNotificationTemplates}).
 */
public class BuiltInNotificationTemplates implements NotificationTemplates {

    static final NotificationTemplate DEFAULT_TEMPLATE = new NotificationTemplate(DEFAULT,
            "Portcullis policy notice: {action} for \"{subject}\"",
            """
            This is an automatic notice from the Portcullis mail gateway.

            A message was handled by mail policy.

              Message:    {messageId}
              Sender:     {sender}
              Recipients: {recipients}
              Subject:    {subject}
              Rule:       {rule}
              Action:     {action}

            Please do not reply to this notice.
            """);

    private final Map<String, NotificationTemplate> templates = Map.of(DEFAULT, DEFAULT_TEMPLATE);

    @Override
    public NotificationTemplate find(String id) {
        NotificationTemplate t = id == null ? null : templates.get(id);
        return t != null ? t : DEFAULT_TEMPLATE;
    }
}
