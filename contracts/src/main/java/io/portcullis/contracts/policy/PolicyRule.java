package io.portcullis.contracts.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One rule of a policy snapshot. Rules are evaluated in ascending priority, per recipient; see {@link RuleAction}
 * for how actions combine and docs/policy.md for the whole model.
 *
 * <p>A rule is written either in full ({@code direction}, {@code scope}, {@code conditions}, {@code actions}) or in
 * the short form of the first releases ({@code match} + {@code action}, with {@code subjectPrefix} and
 * {@code addHeaders} for TAG), which the constructor turns into the full form: {@code match} {@code VIRUS} becomes the
 * condition {@code class VIRUS}, {@code SYMBOL:NAME} becomes {@code symbol NAME}; {@code TAG} becomes
 * {@code deliver} plus {@code tag-subject}/{@code add-header}.
 *
 * @param id            stable id
 * @param name          human-readable name
 * @param priority      lower runs first
 * @param match         short form: a verdict class ({@code VIRUS}, {@code SPAM}, {@code BLOCKED_ATTACHMENT},
 *                      {@code SCAN_FAILURE}, ...) or {@code SYMBOL:<name>}; null in the full form
 * @param action        short form: the action when it matches; null in the full form
 * @param subjectPrefix short form: subject tag for TAG, or null
 * @param addHeaders    short form: headers to add for TAG
 * @param direction     inbound, outbound or both (default)
 * @param scope         senders and recipients the rule applies to (default anyone)
 * @param conditions    all must hold; none means always
 * @param actions       what to do when the rule matches
 * @param expiresAt     the rule no longer applies from this instant (outbreak rules), or null
 */
public record PolicyRule(String id, String name, int priority, String match, Action action,
        String subjectPrefix, List<HeaderField> addHeaders, Direction direction, RuleScope scope,
        List<RuleCondition> conditions, List<RuleAction> actions, Instant expiresAt) {

    private static final String SYMBOL_PREFIX = "SYMBOL:";

    public PolicyRule {
        addHeaders = addHeaders == null ? List.of() : List.copyOf(addHeaders);
        direction = direction == null ? Direction.BOTH : direction;
        scope = scope == null ? RuleScope.ANYONE : scope;
        conditions = conditions == null || conditions.isEmpty() ? conditionsOf(match) : List.copyOf(conditions);
        actions = actions == null || actions.isEmpty() ? actionsOf(action, subjectPrefix, addHeaders)
                : List.copyOf(actions);
    }

    /** A rule in the short form. */
    public PolicyRule(String id, String name, int priority, String match, Action action, String subjectPrefix,
            List<HeaderField> addHeaders) {
        this(id, name, priority, match, action, subjectPrefix, addHeaders, null, null, null, null, null);
    }

    /** A rule in the full form. */
    public static PolicyRule of(String id, String name, int priority, Direction direction, RuleScope scope,
            List<RuleCondition> conditions, List<RuleAction> actions) {
        return new PolicyRule(id, name, priority, null, null, null, null, direction, scope, conditions, actions, null);
    }

    private static List<RuleCondition> conditionsOf(String match) {
        if (match == null) {
            return List.of();
        }
        if (match.isBlank()) {
            return List.of(RuleCondition.of("class", "")); // refused by validation: a blank match never meant "always"
        }
        String m = match.trim();
        if (m.regionMatches(true, 0, SYMBOL_PREFIX, 0, SYMBOL_PREFIX.length())) {
            return List.of(RuleCondition.of("symbol", m.substring(SYMBOL_PREFIX.length()).trim()));
        }
        return List.of(RuleCondition.of("class", m.toUpperCase(Locale.ROOT)));
    }

    private static List<RuleAction> actionsOf(Action action, String subjectPrefix, List<HeaderField> headers) {
        if (action == null) {
            return List.of();
        }
        List<RuleAction> out = new ArrayList<>();
        out.add(RuleAction.of(action == Action.TAG ? "deliver" : action.name().toLowerCase(Locale.ROOT), null));
        if (action == Action.TAG && subjectPrefix != null && !subjectPrefix.isEmpty()) {
            out.add(RuleAction.of("tag-subject", subjectPrefix));
        }
        if (action == Action.TAG && !headers.isEmpty()) {
            out.add(new RuleAction("add-header", null, List.of(), headers));
        }
        return List.copyOf(out);
    }
}
