package io.portcullis.policy.simulation;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.policy.service.InvalidPolicyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/policy/simulate}.
 *
 * @param rule          the candidate rule, in the full or the short form (see docs/policy.md)
 * @param limit         how many of the last recorded messages to simulate on, 1..10000 (default 1000)
 * @param replaceRuleId the id of an enabled rule the candidate replaces (to simulate changing it), or null to add
 *                      the candidate
 * @param disabled      ids of enabled rules to leave out of the candidate policy
 */
public record SimulationRequest(Rule rule, Integer limit, String replaceRuleId, List<String> disabled) {
    public SimulationRequest {
        disabled = disabled == null ? List.of() : disabled;
    }

    /**
     * A rule as JSON: the fields of {@link PolicyRule}, with {@code priority} required and {@code negate} optional
     * (request JSON refuses a missing primitive).
     */
    public record Rule(String id, String name, Integer priority, String match, Action action, String subjectPrefix,
            List<HeaderField> addHeaders, Direction direction, RuleScope scope, List<Condition> conditions,
            List<RuleAction> actions, Instant expiresAt) {

        /** @throws InvalidPolicyException naming the field when {@code priority} or a condition is missing */
        public PolicyRule toPolicyRule() {
            if (priority == null) {
                throw new InvalidPolicyException("rule.priority", "rule.priority: required (lower runs first)");
            }
            List<RuleCondition> list = null;
            if (conditions != null) {
                list = new ArrayList<>();
                for (int i = 0; i < conditions.size(); i++) {
                    Condition c = conditions.get(i);
                    if (c == null) {
                        throw new InvalidPolicyException("rule.conditions[" + i + "]", "rule.conditions[" + i
                                + "]: missing condition");
                    }
                    if (c.values() != null && c.values().contains(null)) {
                        throw new InvalidPolicyException("rule.conditions[" + i + "].values", "rule.conditions["
                                + i + "].values: null is not a value");
                    }
                    list.add(new RuleCondition(c.type(), c.field(), c.operator(), c.values(), c.threshold(),
                            Boolean.TRUE.equals(c.negate())));
                }
            }
            if (actions != null && actions.contains(null)) {
                int i = actions.indexOf(null);
                throw new InvalidPolicyException("rule.actions[" + i + "]", "rule.actions[" + i + "]: missing action");
            }
            if (addHeaders != null && addHeaders.contains(null)) {
                throw new InvalidPolicyException("rule.addHeaders", "rule.addHeaders: null is not a header");
            }
            return new PolicyRule(id, name, priority, match, action, subjectPrefix, addHeaders, direction, scope, list,
                    actions, expiresAt);
        }
    }

    /** A condition as JSON: the fields of {@link RuleCondition}, {@code negate} optional (default false). */
    public record Condition(String type, String field, String operator, List<String> values, Double threshold,
            Boolean negate) {
    }
}
