package io.portcullis.policy.engine;

import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.policy.engine.condition.Conditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A policy snapshot compiled for evaluation. Immutable and thread-safe.
 *
 * <p>Evaluation, per recipient: a recipient in an accepted domain is INBOUND, any other OUTBOUND. Rules run in
 * ascending priority (ties by id); a rule applies when it has not expired, its direction fits, the sender and the
 * recipient are in its scope and all its conditions hold. A matching rule adds its other actions; the first matching
 * rule with a main action decides and ends evaluation. When none decides the message is delivered, except that a
 * virus or a scan failure is quarantined by the built-in fail-safe ({@value #FAIL_SAFE_RULE}): deleting every rule
 * never turns a failed scan into "clean". Recipients with equal decisions form one group.
 */
public final class CompiledPolicy {
    /** The rule id recorded when the fail-safe decides. */
    public static final String FAIL_SAFE_RULE = "builtin-fail-safe";
    /** Default time all content conditions of one message may take together; a scan cut by it holds (fails closed). */
    public static final long CONTENT_BUDGET_NANOS = 2_000_000_000L;

    private final PolicySnapshot snapshot;
    private final List<CompiledRule> rules;
    private final Set<String> acceptedDomains;
    private final long contentBudgetNanos;
    private final boolean needsText;
    private final Set<String> dlpTemplates;

    private CompiledPolicy(PolicySnapshot snapshot, List<CompiledRule> rules, long contentBudgetNanos) {
        this.snapshot = snapshot;
        this.rules = rules;
        this.contentBudgetNanos = contentBudgetNanos;
        this.needsText = rules.stream().flatMap(r -> r.conditions().stream()).anyMatch(Conditions::readsText);
        java.util.Set<String> templates = new java.util.TreeSet<>();
        rules.forEach(r -> r.conditions().forEach(c -> templates.addAll(Conditions.dlpTemplates(c))));
        this.dlpTemplates = java.util.Collections.unmodifiableSet(templates);
        this.acceptedDomains = Set.copyOf(snapshot.acceptedDomains().stream()
                .map(d -> d.toLowerCase(Locale.ROOT)).toList());
    }

    /**
     * Validates and compiles every rule of a snapshot.
     *
     * @throws PolicyValidationException naming the rule and field at fault ({@code rules[3].conditions[0].type})
     */
    public static CompiledPolicy compile(PolicySnapshot snapshot) {
        return compile(snapshot, CONTENT_BUDGET_NANOS);
    }

    /** Compiles with another time budget for the content conditions of one message. */
    public static CompiledPolicy compile(PolicySnapshot snapshot, long contentBudgetNanos) {
        List<PolicyRule> sorted = new ArrayList<>(snapshot.rules());
        sorted.sort(Comparator.comparingInt(PolicyRule::priority).thenComparing(PolicyRule::id,
                Comparator.nullsFirst(Comparator.naturalOrder())));
        List<CompiledRule> out = new ArrayList<>();
        for (PolicyRule r : sorted) {
            try {
                out.add(CompiledRule.compile(r));
            } catch (PolicyValidationException e) {
                throw e.under("rules[" + snapshot.rules().indexOf(r) + "].");
            }
        }
        return new CompiledPolicy(snapshot, List.copyOf(out), contentBudgetNanos);
    }

    public PolicySnapshot snapshot() {
        return snapshot;
    }

    /** Whether some rule reads the message text (keywords, regex, dictionary): the scanner extracts it only then. */
    public boolean needsText() {
        return needsText;
    }

    /** The DLP templates some rule names: the scanner runs only these. */
    public Set<String> dlpTemplates() {
        return dlpTemplates;
    }

    /**
     * Evaluates the policy for every recipient of the message.
     *
     * @throws Directory.DirectoryUnavailableException when a rule's scope names senders or recipients and the
     *     directory can't answer for their aliases and groups: the message must be retried later, not judged without
     *     them
     */
    public PolicyOutcome evaluate(PolicyInput input, Directory directory) {
        return evaluate(input, directory, false);
    }

    /**
     * Evaluates without directory data, for when the directory is down: every rule whose scope names senders or
     * recipients is skipped (neither applied nor excepted wrongly), the others apply as usual. Callers record the
     * outage as a failure finding first, so the message counts as a scan failure.
     */
    public PolicyOutcome evaluateWithoutDirectory(PolicyInput input) {
        return evaluate(input, Directory.NONE, true);
    }

    private PolicyOutcome evaluate(PolicyInput input, Directory directory, boolean skipScoped) {
        Set<VerdictClass> classes = VerdictClass.of(input.findings(), snapshot.spamThreshold());
        EvaluationContext ctx = new EvaluationContext(input, classes, VerdictClass.spamScore(input.findings()),
                System.nanoTime() + contentBudgetNanos);
        Map<CompiledRule, Boolean> holds = new HashMap<>(); // conditions don't depend on the recipient
        Map<String, Directory.Membership> members = new HashMap<>();
        Map<Decision, List<String>> groups = new LinkedHashMap<>();
        List<String> recipients = input.recipients().isEmpty() ? List.of("") : input.recipients();
        for (String rcpt : recipients) {
            Decision d = decide(ctx, rcpt, directory, skipScoped, holds, members);
            groups.computeIfAbsent(d, k -> new ArrayList<>()).add(rcpt);
        }
        List<PolicyOutcome.Group> out = new ArrayList<>();
        groups.forEach((d, r) -> out.add(new PolicyOutcome.Group(r, d)));
        return new PolicyOutcome(out, classes, ctx.spamScore(), snapshot.version());
    }

    private Decision decide(EvaluationContext ctx, String rcpt, Directory directory, boolean skipScoped,
            Map<CompiledRule, Boolean> holds, Map<String, Directory.Membership> members) {
        Direction direction = acceptedDomains.contains(AddressPattern.domainOf(rcpt)) ? Direction.INBOUND
                : Direction.OUTBOUND;
        String sender = ctx.input().sender();
        List<AppliedAction> others = new ArrayList<>();
        List<String> matched = new ArrayList<>();
        for (CompiledRule rule : rules) {
            if (!rule.appliesTo(direction, ctx.input().evaluatedAt())
                    || skipScoped && (rule.needsSenderDirectory() || rule.needsRecipientDirectory())) {
                continue;
            }
            Directory.Membership s = rule.needsSenderDirectory() ? member(sender, directory, members)
                    : Directory.Membership.NONE;
            Directory.Membership r = rule.needsRecipientDirectory() ? member(rcpt, directory, members)
                    : Directory.Membership.NONE;
            if (!rule.inScope(sender, s, rcpt, r) || !holds.computeIfAbsent(rule, x -> x.conditionsHold(ctx))) {
                continue;
            }
            String id = rule.rule().id();
            matched.add(id);
            for (RuleAction a : rule.actions()) {
                if (!RuleActions.MAIN.contains(a.type())) {
                    others.add(new AppliedAction(id, a, a.type().equals("strip-attachments")
                            ? Conditions.attachments(rule.conditions(), ctx) : List.of()));
                }
            }
            if (rule.main() != null) {
                return new Decision(new AppliedAction(id, rule.main(), List.of()), others, matched);
            }
        }
        if (ctx.classes().contains(VerdictClass.VIRUS) || ctx.classes().contains(VerdictClass.SCAN_FAILURE)) {
            return new Decision(new AppliedAction(FAIL_SAFE_RULE, RuleAction.of("quarantine", null),
                    List.of()), others, matched);
        }
        return new Decision(new AppliedAction(null, RuleAction.of("deliver", null), List.of()), others,
                matched);
    }

    /**
     * The reply of a {@code reject} rule that decides for this sender and recipient whatever the message will hold,
     * so the edge can refuse at RCPT instead of accepting and deleting. Rules are walked in evaluation order; the
     * answer is known only while every rule before the reject rule either cannot apply (expired, other direction,
     * scope or time window not matching the addresses as written, with no scope an alias could change) or has no
     * main action. A rule whose outcome needs the message, the directory or an except-list ends the walk with no
     * answer: the message is then accepted and policy decides after the scan (a reject there is carried out as a
     * delete). So a reject rule takes effect at SMTP time when it comes before every rule that could decide otherwise.
     *
     * @return the reply text (the rule's value, or a default), or empty when the edge should accept
     */
    public java.util.Optional<String> rejectAtRcpt(String sender, String recipient, java.time.Instant now) {
        Direction direction = acceptedDomains.contains(AddressPattern.domainOf(recipient.toLowerCase(Locale.ROOT)))
                ? Direction.INBOUND : Direction.OUTBOUND;
        for (CompiledRule rule : rules) {
            if (!rule.appliesTo(direction, now)) {
                continue;
            }
            if (!rule.decidableFromEnvelope()) {
                if (rule.main() != null) {
                    return java.util.Optional.empty();
                }
                continue;
            }
            boolean applies = rule.appliesAtRcpt(sender, recipient, now);
            if (!applies && rule.scoped() && rule.main() != null) {
                return java.util.Optional.empty(); // an alias might still bring the address into its scope
            }
            if (!applies || rule.main() == null) {
                continue;
            }
            if (!rule.main().type().equals("reject")) {
                return java.util.Optional.empty();
            }
            String text = rule.main().value();
            return java.util.Optional.of(text == null || text.isBlank() ? "Message refused by policy" : text);
        }
        return java.util.Optional.empty();
    }

    private static Directory.Membership member(String address, Directory directory,
            Map<String, Directory.Membership> cache) {
        if (address.isEmpty()) {
            return Directory.Membership.NONE;
        }
        String key = address.toLowerCase(Locale.ROOT);
        Directory.Membership m = cache.get(key);
        if (m == null) {
            m = directory.lookup(key);
            cache.put(key, m);
        }
        return m;
    }
}
