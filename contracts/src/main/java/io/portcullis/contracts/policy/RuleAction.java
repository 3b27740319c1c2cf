package io.portcullis.contracts.policy;

import io.portcullis.contracts.events.HeaderField;
import java.util.List;

/**
 * One action of a rule. A rule has at most one main action ({@code deliver}, {@code delete}, {@code quarantine},
 * {@code redirect}, {@code defer}, {@code reject}); the first matching rule with a main action decides and ends
 * evaluation. The other actions ({@code tag-subject}, {@code add-header}, {@code strip-attachments}, {@code bcc},
 * {@code notify}) add to the outcome, so a rule with only those lets evaluation go on. See docs/policy.md.
 *
 * @param type      the action
 * @param value     the quarantine area, subject tag, defer window, reject reply text, strip notice text or notify
 *                  template id; else null
 * @param addresses redirect and bcc targets; notify recipients ({@code sender}, {@code recipients}, {@code admin} or
 *                  addresses)
 * @param headers   header fields of {@code add-header}
 */
public record RuleAction(String type, String value, List<String> addresses, List<HeaderField> headers) {

    public RuleAction {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** An action with a value only (or none). */
    public static RuleAction of(String type, String value) {
        return new RuleAction(type, value, List.of(), List.of());
    }
}
