package io.portcullis.policy.api;

import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import java.time.Instant;
import java.util.List;

/** One rule of an exported policy bundle: the full form (read back as a {@link RuleRequest}). */
public record BundleRule(String id, String name, int priority, boolean enabled, Direction direction, RuleScope scope,
        List<RuleCondition> conditions, List<RuleAction> actions, Instant expiresAt) {
}
