package io.portcullis.scanner.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.policy.engine.VerdictClass;
import java.util.List;
import java.util.Set;

/**
 * What policy decided for one message.
 *
 * @param action        the first recipient group's action (TAG when it is DELIVER with modifications), as verdicts
 *                      of the first releases carried it
 * @param ruleId        the rule that decided for the first group, the fail-safe, or null for the default
 * @param classes       the verdict classes the findings put the message in
 * @param virus         any VIRUS finding
 * @param spam          spam score at or above the threshold (with at least one SPAM finding)
 * @param spamScore     sum of the SPAM findings' scores
 * @param modifications the first group's modifications
 * @param policyVersion version of the snapshot used
 * @param groups        the decision per group of recipients treated alike (more than one: the message is split)
 * @param matchedRules  every rule that matched for any recipient, in evaluation order
 */
public record PolicyDecision(Action action, String ruleId, Set<VerdictClass> classes, boolean virus, boolean spam,
        double spamScore, Modifications modifications, long policyVersion, List<RecipientDecision> groups,
        List<String> matchedRules) {
    public PolicyDecision {
        classes = Set.copyOf(classes);
        groups = groups == null ? List.of() : List.copyOf(groups);
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    }
}
