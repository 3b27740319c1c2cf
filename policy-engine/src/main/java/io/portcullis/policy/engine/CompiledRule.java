package io.portcullis.policy.engine;

import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.policy.engine.condition.Condition;
import io.portcullis.policy.engine.condition.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One validated rule, ready to evaluate. Immutable. */
public final class CompiledRule {
    private final PolicyRule rule;
    private final List<AddressPattern> senders;
    private final List<AddressPattern> recipients;
    private final List<AddressPattern> exceptSenders;
    private final List<AddressPattern> exceptRecipients;
    private final List<Condition> conditions;
    private final List<RuleAction> actions;
    private final RuleAction main;

    private CompiledRule(PolicyRule rule, RuleScope scope, List<Condition> conditions, List<RuleAction> actions) {
        this.rule = rule;
        this.senders = patterns(scope.senders(), "scope.senders");
        this.recipients = patterns(scope.recipients(), "scope.recipients");
        this.exceptSenders = patterns(scope.exceptSenders(), "scope.exceptSenders");
        this.exceptRecipients = patterns(scope.exceptRecipients(), "scope.exceptRecipients");
        this.conditions = conditions;
        this.actions = actions;
        this.main = RuleActions.main(actions);
    }

    /**
     * Validates and compiles a rule.
     *
     * @throws PolicyValidationException naming the field at fault (relative to the rule)
     */
    public static CompiledRule compile(PolicyRule rule) {
        if (rule.id() == null || rule.id().isBlank()) {
            throw new PolicyValidationException("id", "required");
        }
        if (rule.name() == null || rule.name().isBlank() || rule.name().length() > 200) {
            throw new PolicyValidationException("name", "required, at most 200 characters");
        }
        if (rule.conditions().size() > 50) {
            throw new PolicyValidationException("conditions", "more than 50 conditions");
        }
        List<Condition> compiled = new ArrayList<>();
        for (int i = 0; i < rule.conditions().size(); i++) {
            RuleCondition c = rule.conditions().get(i);
            compiled.add(Conditions.compile(c, "conditions[" + i + "]"));
        }
        List<RuleAction> actions = RuleActions.validate(rule.actions(), "actions");
        return new CompiledRule(rule, rule.scope(), List.copyOf(compiled), actions);
    }

    private static List<AddressPattern> patterns(List<String> entries, String field) {
        if (entries.size() > 1000) {
            throw new PolicyValidationException(field, "more than 1,000 entries");
        }
        List<AddressPattern> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(AddressPattern.parse(entries.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    public PolicyRule rule() {
        return rule;
    }

    /** The main action, or null when the rule only adds actions. */
    RuleAction main() {
        return main;
    }

    List<RuleAction> actions() {
        return actions;
    }

    List<Condition> conditions() {
        return conditions;
    }

    boolean appliesTo(Direction direction, Instant at) {
        if (rule.expiresAt() != null && !at.isBefore(rule.expiresAt())) {
            return false;
        }
        return rule.direction() == Direction.BOTH || rule.direction() == direction;
    }

    /** Whether the sender's aliases and groups matter (the scope names senders). */
    boolean needsSenderDirectory() {
        return !senders.isEmpty() || !exceptSenders.isEmpty();
    }

    /** Whether the recipient's aliases and groups matter (the scope names recipients). */
    boolean needsRecipientDirectory() {
        return !recipients.isEmpty() || !exceptRecipients.isEmpty();
    }

    boolean inScope(String sender, Directory.Membership senderInfo, String recipient,
            Directory.Membership recipientInfo) {
        return in(senders, exceptSenders, sender, senderInfo) && in(recipients, exceptRecipients, recipient, recipientInfo);
    }

    private static boolean in(List<AddressPattern> include, List<AddressPattern> except, String address,
            Directory.Membership m) {
        boolean included = include.isEmpty()
                || include.stream().anyMatch(p -> p.matches(address, m.aliases(), m.groups()));
        return included && except.stream().noneMatch(p -> p.matches(address, m.aliases(), m.groups()));
    }

    /**
     * Whether the rule's outcome for a sender and recipient is known from the envelope alone: no condition but
     * {@code time-of-day}, no directory group and no except-list in its scope (an alias could fall in an
     * except-list), so {@link #appliesAtRcpt} answers with certainty.
     */
    boolean decidableFromEnvelope() {
        return conditions.stream().allMatch(Conditions::isTimeOfDay)
                && exceptSenders.isEmpty() && exceptRecipients.isEmpty()
                && senders.stream().noneMatch(AddressPattern::isGroup)
                && recipients.stream().noneMatch(AddressPattern::isGroup);
    }

    /**
     * For a rule {@link #decidableFromEnvelope()}: whether it applies to this sender and recipient as written
     * (without aliases: a pattern that does not match the address as written may still match an alias, which the
     * caller treats as not known).
     */
    boolean appliesAtRcpt(String sender, String recipient, Instant now) {
        EvaluationContext ctx = new EvaluationContext(new PolicyInput(sender, List.of(recipient), 0, List.of(),
                java.util.Map.of(), List.of(), now), java.util.Set.of(), 0, Long.MAX_VALUE);
        return inScope(sender, Directory.Membership.NONE, recipient, Directory.Membership.NONE)
                && conditionsHold(ctx);
    }

    /** Whether the scope names anyone (then an alias might match where the address as written does not). */
    boolean scoped() {
        return !senders.isEmpty() || !recipients.isEmpty();
    }

    boolean conditionsHold(EvaluationContext ctx) {
        for (Condition c : conditions) {
            if (!c.test(ctx)) {
                return false;
            }
        }
        return true;
    }
}
