package io.portcullis.policy.simulation;

import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.policy.engine.AppliedAction;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Decision;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.policy.engine.PolicyOutcome;
import io.portcullis.policy.simulation.SimulationResult.ApproximateRule;
import io.portcullis.policy.simulation.SimulationResult.DecisionView;
import io.portcullis.policy.simulation.SimulationResult.MessageChange;
import io.portcullis.policy.simulation.SimulationResult.Transition;
import io.portcullis.policy.simulation.SimulationResult.Unevaluable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the current and a candidate policy on recorded messages and reports where they differ. Immutable once
 * built; one instance per simulation.
 *
 * <p>Recorded messages lack what some conditions read: headers (never recorded), text content (keywords, regular
 * expressions, dictionaries, DLP) and, for verdicts of older scanners, size and attachments. Such a condition is
 * <em>unknown</em>, never guessed. A rule with an unknown condition is left out of the policy, and it <em>could
 * matter</em> for a message when the rest of the rule (scope, direction, its other conditions) matches and the rule
 * comes before the rule that decided without it; otherwise the result is exact. When such rules could matter, every
 * combination of their unknown conditions is tried (for both policies at once, since a header is the same for
 * both): the message is changed, or unchanged, only when all combinations agree; else it is <em>uncertain</em>. A
 * message is only evaluated in full when one of the changed rules (the candidate, the replaced rule, the disabled
 * ones) could match it at all; when none can, the two policies treat it alike whatever the unknown conditions are.
 *
 * <p>There is no directory: rules whose scope names {@code group:} patterns are reported as approximate (group
 * members and address aliases don't match).
 */
public final class Simulator {
    /** Condition types that read what verdicts never record. */
    static final Set<String> NEVER_RECORDED = Set.of("header", "keywords", "regex", "dictionary", "dlp");
    /** Condition types that read size and attachments, which older scanners did not record. */
    static final Set<String> DETAIL_TYPES = Set.of("message-size", "attachment-count", "attachment-name",
            "attachment-extension", "attachment-type", "attachment-size");
    static final String SPLIT = "split";
    /** Most distinct unknown conditions whose combinations are tried on one message (2^10 evaluations). */
    static final int MAX_ENUMERATED = 10;
    static final String TREATMENT = "unknown, never guessed: where it could matter every combination of the "
            + "unknown conditions is tried, and a message counts as changed or unchanged only when all agree, else it "
            + "is uncertain; decisions shown assume the condition does not hold";
    private static final Set<String> WITHOUT_DETAILS = union(NEVER_RECORDED, DETAIL_TYPES);
    private static final Comparator<PolicyRule> ORDER = Comparator.comparingInt(PolicyRule::priority)
            .thenComparing(PolicyRule::id, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final PolicySnapshot current;
    private final PolicySnapshot candidate;
    private final Plan currentWithDetails;
    private final Plan currentWithoutDetails;
    private final Plan candidateWithDetails;
    private final Plan candidateWithoutDetails;
    private final List<CompiledPolicy> changedWithDetails;
    private final List<CompiledPolicy> changedWithoutDetails;

    /**
     * @param current   the current policy
     * @param candidate the policy with the candidate rule added or replacing one, disabled rules left out
     * @param changed   rules that differ between the two (the candidate, the replaced and the disabled rules)
     * @throws io.portcullis.policy.engine.PolicyValidationException when a policy does not compile
     */
    public Simulator(PolicySnapshot current, PolicySnapshot candidate, List<PolicyRule> changed) {
        this.current = current;
        this.candidate = candidate;
        CompiledPolicy.compile(current);
        CompiledPolicy.compile(candidate);
        this.currentWithDetails = Plan.of(current, NEVER_RECORDED);
        this.currentWithoutDetails = Plan.of(current, WITHOUT_DETAILS);
        this.candidateWithDetails = Plan.of(candidate, NEVER_RECORDED);
        this.candidateWithoutDetails = Plan.of(candidate, WITHOUT_DETAILS);
        this.changedWithDetails = changed.stream().map(r -> single(current, strip(r, NEVER_RECORDED))).toList();
        this.changedWithoutDetails = changed.stream().map(r -> single(current, strip(r, WITHOUT_DETAILS))).toList();
    }

    /** Simulates on the messages; lists at most {@code maxListed} changed and as many uncertain messages. */
    public SimulationResult run(List<RecordedMessage> messages, int maxListed) {
        int changed = 0;
        int uncertain = 0;
        int withoutDetails = 0;
        Map<String, Integer> transitions = new LinkedHashMap<>();
        List<MessageChange> changes = new ArrayList<>();
        List<MessageChange> uncertainMessages = new ArrayList<>();
        for (RecordedMessage m : messages) {
            boolean details = m.detailsRecorded();
            if (!details) {
                withoutDetails++;
            }
            PolicyInput input = m.input();
            if (!couldMatch(details ? changedWithDetails : changedWithoutDetails, input)) {
                continue;
            }
            Plan beforePlan = details ? currentWithDetails : currentWithoutDetails;
            Plan afterPlan = details ? candidateWithDetails : candidateWithoutDetails;
            Evaluation before = beforePlan.evaluate(input);
            Evaluation after = afterPlan.evaluate(input);
            Set<String> unknownRules = new LinkedHashSet<>();
            before.flagged.forEach(p -> unknownRules.add(p.rule.id()));
            after.flagged.forEach(p -> unknownRules.add(p.rule.id()));
            Outcome outcome = unknownRules.isEmpty()
                    ? (sameEffect(before.outcome, after.outcome) ? Outcome.UNCHANGED : Outcome.CHANGED)
                    : resolve(input, beforePlan, before, afterPlan, after);
            if (outcome == Outcome.UNKNOWN) {
                uncertain++;
                if (uncertainMessages.size() < maxListed) {
                    uncertainMessages.add(change(m, before, after, List.copyOf(unknownRules)));
                }
            } else if (outcome == Outcome.CHANGED) {
                changed++;
                transitions.merge(mainAction(before.outcome) + "\u0000" + mainAction(after.outcome), 1,
                        Integer::sum);
                if (changes.size() < maxListed) {
                    changes.add(change(m, before, after, List.copyOf(unknownRules)));
                }
            }
        }
        List<Transition> byAction = new ArrayList<>();
        transitions.forEach((k, n) -> {
            int cut = k.indexOf('\u0000');
            byAction.add(new Transition(k.substring(0, cut), k.substring(cut + 1), n));
        });
        byAction.sort(Comparator.comparingInt(Transition::messages).reversed()
                .thenComparing(Transition::from).thenComparing(Transition::to));
        return new SimulationResult(current.version(), messages.size(), changed, uncertain, withoutDetails, byAction,
                changes, changed > changes.size(), uncertainMessages, uncertain > uncertainMessages.size(),
                unevaluable(messages.size(), withoutDetails), approximate());
    }

    /**
     * Decides a message on which unknown conditions could matter by trying every combination of their truth values
     * (at most 2^{@value #MAX_ENUMERATED}): changed when the policies differ in every combination, unchanged when they
     * agree in every one, else unknown. Impossible combinations (a condition and its negation both true) are tried
     * too, which can only make the answer less certain, never wrong.
     */
    private static Outcome resolve(PolicyInput input, Plan beforePlan, Evaluation before, Plan afterPlan,
            Evaluation after) {
        List<RuleCondition> conditions = new ArrayList<>(new LinkedHashSet<>(concatConditions(before.flagged,
                after.flagged)));
        if (conditions.size() > MAX_ENUMERATED) {
            return Outcome.UNKNOWN;
        }
        boolean anyEqual = false;
        boolean anyDifferent = false;
        for (int bits = 0; bits < 1 << conditions.size(); bits++) {
            Set<RuleCondition> truth = new HashSet<>();
            for (int i = 0; i < conditions.size(); i++) {
                if ((bits & 1 << i) != 0) {
                    truth.add(conditions.get(i));
                }
            }
            PolicyOutcome b = beforePlan.outcomeIf(before, truth, input);
            PolicyOutcome a = afterPlan.outcomeIf(after, truth, input);
            if (sameEffect(b, a)) {
                anyEqual = true;
            } else {
                anyDifferent = true;
            }
            if (anyEqual && anyDifferent) {
                return Outcome.UNKNOWN;
            }
        }
        return anyDifferent ? Outcome.CHANGED : Outcome.UNCHANGED;
    }

    private static List<RuleCondition> concatConditions(List<Probe> a, List<Probe> b) {
        List<RuleCondition> out = new ArrayList<>();
        a.forEach(p -> out.addAll(p.unknown));
        b.forEach(p -> out.addAll(p.unknown));
        return out;
    }

    private static boolean couldMatch(List<CompiledPolicy> probes, PolicyInput input) {
        for (CompiledPolicy p : probes) {
            for (PolicyOutcome.Group g : p.evaluate(input, Directory.NONE).groups()) {
                if (!g.decision().matched().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether every recipient gets the same actions (which rule decided does not matter). */
    static boolean sameEffect(PolicyOutcome a, PolicyOutcome b) {
        Map<String, Decision> before = byRecipient(a);
        Map<String, Decision> after = byRecipient(b);
        for (Map.Entry<String, Decision> e : before.entrySet()) {
            Decision other = after.get(e.getKey());
            if (other == null || !effect(e.getValue()).equals(effect(other))) {
                return false;
            }
        }
        return before.size() == after.size();
    }

    private static List<AppliedAction> effect(Decision d) {
        List<AppliedAction> out = new ArrayList<>();
        out.add(new AppliedAction(null, d.main().action(), d.main().attachments()));
        d.others().forEach(o -> out.add(new AppliedAction(null, o.action(), o.attachments())));
        return out;
    }

    private static Map<String, Decision> byRecipient(PolicyOutcome outcome) {
        Map<String, Decision> out = new HashMap<>();
        for (PolicyOutcome.Group g : outcome.groups()) {
            for (String r : g.recipients()) {
                out.put(r.toLowerCase(Locale.ROOT), g.decision());
            }
        }
        return out;
    }

    /** The main action of the message, or {@value #SPLIT} when recipients got different ones. */
    static String mainAction(PolicyOutcome outcome) {
        Set<String> actions = new LinkedHashSet<>();
        outcome.groups().forEach(g -> actions.add(g.decision().action()));
        return actions.size() == 1 ? actions.iterator().next() : SPLIT;
    }

    private static MessageChange change(RecordedMessage m, Evaluation before, Evaluation after,
            List<String> uncertainRules) {
        List<String> decidedBy = new ArrayList<>();
        after.outcome.groups().forEach(g -> {
            String id = g.decision().main().ruleId();
            if (!decidedBy.contains(id)) {
                decidedBy.add(id);
            }
        });
        return new MessageChange(m.messageId(), m.receivedAt(), m.sender(), m.recipients(), m.subject(),
                new SimulationResult.Recorded(m.action(), m.ruleId(), m.policyVersion()), views(before.outcome),
                views(after.outcome), decidedBy, uncertainRules);
    }

    private static List<DecisionView> views(PolicyOutcome outcome) {
        return outcome.groups().stream().map(g -> {
            Decision d = g.decision();
            return new DecisionView(g.recipients(), d.action(), d.main().action(), d.main().ruleId(),
                    d.others().stream().map(AppliedAction::action).toList(), d.matched());
        }).toList();
    }

    private List<Unevaluable> unevaluable(int messages, int withoutDetails) {
        List<Unevaluable> out = new ArrayList<>();
        for (PolicyRule r : current.rules()) {
            if (!candidate.rules().contains(r)) {
                unevaluable(r, false, messages, withoutDetails, out);
            }
        }
        for (PolicyRule r : candidate.rules()) {
            unevaluable(r, true, messages, withoutDetails, out);
        }
        return out;
    }

    private static void unevaluable(PolicyRule r, boolean inCandidate, int messages, int withoutDetails,
            List<Unevaluable> out) {
        for (int i = 0; i < r.conditions().size(); i++) {
            String type = type(r.conditions().get(i));
            if (NEVER_RECORDED.contains(type)) {
                out.add(new Unevaluable(r.id(), "conditions[" + i + "]", type, type.equals("header")
                        ? "headers are not recorded (verdicts don't carry them)"
                        : "message text is not recorded", TREATMENT, messages, inCandidate));
            } else if (DETAIL_TYPES.contains(type) && withoutDetails > 0) {
                out.add(new Unevaluable(r.id(), "conditions[" + i + "]", type,
                        "size and attachments were not recorded by older scanners", TREATMENT, withoutDetails,
                        inCandidate));
            }
        }
    }

    private List<ApproximateRule> approximate() {
        Map<String, ApproximateRule> out = new LinkedHashMap<>();
        for (PolicyRule r : concat(candidate.rules(), current.rules())) {
            List<String> patterns = new ArrayList<>(r.scope().senders());
            patterns.addAll(r.scope().recipients());
            patterns.addAll(r.scope().exceptSenders());
            patterns.addAll(r.scope().exceptRecipients());
            if (patterns.stream().anyMatch(p -> p != null && p.strip().toLowerCase(Locale.ROOT).startsWith("group:"))) {
                out.putIfAbsent(r.id(), new ApproximateRule(r.id(), "the scope names directory groups; simulated "
                        + "without a directory, so no one is a group member and aliases don't count"));
            }
        }
        return List.copyOf(out.values());
    }

    private static List<PolicyRule> concat(List<PolicyRule> a, List<PolicyRule> b) {
        List<PolicyRule> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static String type(RuleCondition c) {
        return c.type() == null ? "" : c.type().strip().toLowerCase(Locale.ROOT);
    }

    /** The rule without the conditions of these types (null when it has none of them). */
    private static PolicyRule strip(PolicyRule r, Set<String> types) {
        List<RuleCondition> kept = r.conditions().stream().filter(c -> !types.contains(type(c))).toList();
        if (kept.size() == r.conditions().size()) {
            return r;
        }
        return new PolicyRule(r.id(), r.name(), r.priority(), null, null, null, null, r.direction(), r.scope(), kept,
                r.actions(), r.expiresAt());
    }

    private static CompiledPolicy single(PolicySnapshot s, PolicyRule r) {
        return CompiledPolicy.compile(with(s, List.of(r)));
    }

    private static PolicySnapshot with(PolicySnapshot s, List<PolicyRule> rules) {
        return new PolicySnapshot(s.tenant(), s.version(), s.acceptedDomains(), s.spamThreshold(),
                s.blockedExtensions(), rules, s.senderLists());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    /** Whether a message's treatment changes. */
    private enum Outcome {
        CHANGED, UNCHANGED, UNKNOWN
    }

    /**
     * An outcome without the rules that have unknown conditions, and those of them that could have changed it.
     */
    private record Evaluation(PolicyOutcome outcome, List<Probe> flagged) {
    }

    /**
     * A rule with unknown conditions: {@code known} is the rule without them (it matches when they all hold),
     * {@code alone} that rule alone in a policy, {@code unknown} the conditions.
     */
    private record Probe(int index, PolicyRule rule, PolicyRule known, CompiledPolicy alone,
            List<RuleCondition> unknown) {
    }

    /** One policy prepared for messages missing one set of condition types. Not thread-safe (its cache). */
    private static final class Plan {
        private static final int MAX_CACHED = 4096;
        private final PolicySnapshot snapshot;
        private final List<PolicyRule> knownRules;
        private final CompiledPolicy known;
        private final Map<String, PolicyRule> rules;
        private final List<Probe> probes;
        private final Map<BitSet, CompiledPolicy> firing = new HashMap<>();

        private Plan(PolicySnapshot snapshot, List<PolicyRule> knownRules, Map<String, PolicyRule> rules,
                List<Probe> probes) {
            this.snapshot = snapshot;
            this.knownRules = knownRules;
            this.known = CompiledPolicy.compile(with(snapshot, knownRules));
            this.rules = rules;
            this.probes = probes;
        }

        static Plan of(PolicySnapshot s, Set<String> unknown) {
            List<PolicyRule> known = new ArrayList<>();
            List<Probe> probes = new ArrayList<>();
            Map<String, PolicyRule> rules = new HashMap<>();
            for (PolicyRule r : s.rules()) {
                rules.put(r.id(), r);
                PolicyRule stripped = strip(r, unknown);
                if (stripped == r) {
                    known.add(r);
                } else {
                    probes.add(new Probe(probes.size(), r, stripped, single(s, stripped), r.conditions().stream()
                            .filter(c -> unknown.contains(type(c))).toList()));
                }
            }
            return new Plan(s, List.copyOf(known), rules, List.copyOf(probes));
        }

        Evaluation evaluate(PolicyInput input) {
            PolicyOutcome outcome = known.evaluate(input, Directory.NONE);
            if (probes.isEmpty()) {
                return new Evaluation(outcome, List.of());
            }
            Map<String, Decision> decided = byRecipient(outcome);
            List<Probe> flagged = new ArrayList<>();
            for (Probe p : probes) {
                boolean matters = false;
                for (PolicyOutcome.Group g : p.alone.evaluate(input, Directory.NONE).groups()) {
                    if (!g.decision().matched().contains(p.rule.id())) {
                        continue;
                    }
                    for (String r : g.recipients()) {
                        matters |= before(p.rule, decided.get(r.toLowerCase(Locale.ROOT)));
                    }
                }
                if (matters) {
                    flagged.add(p);
                }
            }
            return new Evaluation(outcome, List.copyOf(flagged));
        }

        /**
         * The outcome when exactly the unknown conditions in {@code truth} hold. Only the flagged rules can matter:
         * the others can't match, or run after the rule that decides (a rule that fires can only make the
         * decision come earlier).
         */
        PolicyOutcome outcomeIf(Evaluation base, Set<RuleCondition> truth, PolicyInput input) {
            BitSet on = new BitSet();
            for (Probe p : base.flagged) {
                if (truth.containsAll(p.unknown)) {
                    on.set(p.index);
                }
            }
            if (on.isEmpty()) {
                return base.outcome;
            }
            CompiledPolicy policy = firing.get(on);
            if (policy == null) {
                List<PolicyRule> rs = new ArrayList<>(knownRules);
                on.stream().forEach(i -> rs.add(probes.get(i).known));
                policy = CompiledPolicy.compile(with(snapshot, rs));
                if (firing.size() >= MAX_CACHED) {
                    firing.clear();
                }
                firing.put(on, policy);
            }
            return policy.evaluate(input, Directory.NONE);
        }

        /** Whether the rule runs before the one that made this decision (always before the default). */
        private boolean before(PolicyRule rule, Decision decision) {
            String id = decision == null ? null : decision.main().ruleId();
            PolicyRule decider = id == null ? null : rules.get(id);
            return decider == null || ORDER.compare(rule, decider) < 0;
        }
    }
}
