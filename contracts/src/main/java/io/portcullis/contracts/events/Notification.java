package io.portcullis.contracts.events;

import java.util.List;

/**
 * A notice policy asked to send about a message.
 *
 * @param ruleId   the rule that asked for it
 * @param template the template id (policy-service keeps the editable texts; {@code default} when the rule names none)
 * @param to       who gets it: {@code sender}, {@code recipients}, {@code admin} or addresses, as the rule says
 */
public record Notification(String ruleId, String template, List<String> to) {
    public Notification {
        to = to == null ? List.of() : List.copyOf(to);
    }
}
