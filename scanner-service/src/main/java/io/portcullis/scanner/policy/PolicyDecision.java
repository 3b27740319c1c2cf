package io.portcullis.scanner.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Modifications;
import java.util.Set;

/**
 * What policy decided for one message.
 *
 * @param action        the action of the first matching rule, or DELIVER
 * @param ruleId        the matching rule's id, or null for the default
 * @param classes       the verdict classes the findings put the message in
 * @param virus         any VIRUS finding
 * @param spam          spam score at or above the threshold (with at least one SPAM finding)
 * @param spamScore     sum of the SPAM findings' scores
 * @param modifications subject prefix and headers for TAG, otherwise none
 * @param policyVersion version of the snapshot used
 */
public record PolicyDecision(Action action, String ruleId, Set<VerdictClass> classes, boolean virus, boolean spam,
        double spamScore, Modifications modifications, long policyVersion) {
    public PolicyDecision {
        classes = Set.copyOf(classes);
    }
}
