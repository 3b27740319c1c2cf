package io.portcullis.policy.engine;

import java.util.List;
import java.util.Set;

/**
 * The result of evaluating a policy on one message: recipients grouped by identical decisions (one group when all
 * recipients are treated alike; several when their policies differ and the message must be split).
 *
 * @param groups        recipients and their decision, in the order of the first recipient of each group
 * @param classes       the message's verdict classes
 * @param spamScore     sum of the SPAM findings' scores
 * @param policyVersion the snapshot version used
 */
public record PolicyOutcome(List<Group> groups, Set<VerdictClass> classes, double spamScore, long policyVersion) {
    public PolicyOutcome {
        groups = List.copyOf(groups);
        classes = Set.copyOf(classes);
    }

    /** Whether recipients got different decisions. */
    public boolean split() {
        return groups.size() > 1;
    }

    /** Recipients that share one decision. */
    public record Group(List<String> recipients, Decision decision) {
        public Group {
            recipients = List.copyOf(recipients);
        }
    }
}
