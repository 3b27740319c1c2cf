package io.portcullis.policy.engine;

import io.portcullis.contracts.policy.RuleAction;
import java.util.List;

/**
 * An action the outcome carries, with the rule it came from.
 *
 * @param ruleId      the rule
 * @param action      the action (validated, type in lower case)
 * @param attachments for {@code strip-attachments}: the paths of the attachments to remove; else empty
 */
public record AppliedAction(String ruleId, RuleAction action, List<String> attachments) {
    public AppliedAction {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
