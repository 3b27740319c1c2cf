package io.portcullis.policy.api;

import java.util.List;

/**
 * One condition as a client sends it: a {@link io.portcullis.contracts.policy.RuleCondition} whose {@code negate}
 * may be left out (false).
 */
public record ConditionRequest(String type, String field, String operator, List<String> values, Double threshold,
        Boolean negate) {
}
