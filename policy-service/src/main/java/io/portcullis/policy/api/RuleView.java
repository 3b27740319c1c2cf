package io.portcullis.policy.api;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import java.time.Instant;
import java.util.List;

/**
 * A stored rule as the API returns it: the full form, where it came from and, for clients of the first releases,
 * the equivalent short form ({@code match}, {@code action}, {@code subjectPrefix}, {@code addHeaders}) when the rule
 * has one (else null).
 *
 * @param source   source cluster of the bundle the rule came from, or null when made here
 * @param outbreak whether it came from an outbreak bundle
 */
public record RuleView(String id, String name, int priority, boolean enabled, Direction direction, RuleScope scope,
        List<RuleCondition> conditions, List<RuleAction> actions, Instant expiresAt, String source,
        boolean outbreak, Instant created, Instant updated, String match, Action action, String subjectPrefix,
        List<HeaderField> addHeaders) {
}
