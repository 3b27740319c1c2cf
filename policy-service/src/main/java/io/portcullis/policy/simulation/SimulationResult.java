package io.portcullis.policy.simulation;

import io.portcullis.contracts.policy.RuleAction;
import java.time.Instant;
import java.util.List;

/**
 * What a candidate rule would have done to the last recorded messages, compared with the current policy.
 *
 * @param policyVersion     the version of the current policy the candidate was added to
 * @param messages          recorded messages simulated on
 * @param changed           messages whose treatment would certainly change (main action, its value, or other
 *                          actions, for any recipient)
 * @param uncertain         messages whose treatment might change, but the simulation cannot tell because a
 *                          condition that could decide is not evaluable on recorded data
 * @param withoutDetails    messages recorded without size and attachments (older scanners)
 * @param byAction          the changed messages counted by old and new main action
 * @param changes           the changed messages (at most {@code portcullis.policy.simulation.max-listed})
 * @param changesTruncated  whether more changed messages exist than are listed
 * @param uncertainMessages the uncertain messages (same bound)
 * @param uncertainTruncated whether more uncertain messages exist than are listed
 * @param unevaluable       conditions the simulation could not evaluate on recorded data, and how they were treated
 * @param approximateRules  rules whose scope needs the directory, simulated without one
 */
public record SimulationResult(long policyVersion, int messages, int changed, int uncertain, int withoutDetails,
        List<Transition> byAction, List<MessageChange> changes, boolean changesTruncated,
        List<MessageChange> uncertainMessages, boolean uncertainTruncated, List<Unevaluable> unevaluable,
        List<ApproximateRule> approximateRules) {

    /**
     * How many changed messages went from one main action to another ({@code split} when recipients got different
     * main actions).
     */
    public record Transition(String from, String to, int messages) {
    }

    /**
     * One message the candidate changes (or might change).
     *
     * @param recorded      what the scanner decided when the message passed (under the policy of its time)
     * @param before        the current policy's decision, per group of recipients
     * @param after         the candidate policy's decision, per group of recipients
     * @param decidedBy     the rules that decide under the candidate policy (null for the default)
     * @param uncertainRules rules with unevaluable conditions that could matter: for an uncertain message the
     *                      outcome depends on them; a changed message changes whatever they are, but the decisions
     *                      shown assume their unevaluable conditions don't hold
     */
    public record MessageChange(String messageId, Instant receivedAt, String sender, List<String> recipients,
            String subject, Recorded recorded, List<DecisionView> before, List<DecisionView> after,
            List<String> decidedBy, List<String> uncertainRules) {
    }

    /** The verdict recorded when the message passed. */
    public record Recorded(String action, String ruleId, Long policyVersion) {
    }

    /**
     * A decision for a group of recipients.
     *
     * @param action  main action: deliver, delete, quarantine, redirect, defer or reject
     * @param main    the main action in full (its value: quarantine area, defer window, reply text; redirect
     *                addresses)
     * @param ruleId  the rule that decided; null for the default, {@code builtin-fail-safe} for the fail-safe
     * @param others  the other actions that apply (tag-subject, add-header, strip-attachments, bcc, notify)
     * @param matched every rule that matched, in order
     */
    public record DecisionView(List<String> recipients, String action, RuleAction main, String ruleId,
            List<RuleAction> others, List<String> matched) {
    }

    /**
     * A condition not evaluable on recorded data.
     *
     * @param ruleId    its rule
     * @param field     the condition, e.g. {@code conditions[1]}
     * @param type      its type
     * @param reason    what is missing
     * @param treatment how the simulation handled it
     * @param messages  on how many of the simulated messages it was not evaluable
     * @param inCandidate whether the rule is part of the candidate policy (false: only of the current one)
     */
    public record Unevaluable(String ruleId, String field, String type, String reason, String treatment,
            int messages, boolean inCandidate) {
    }

    /** A rule whose scope names directory groups: simulated without a directory (no members, no aliases). */
    public record ApproximateRule(String ruleId, String reason) {
    }
}
