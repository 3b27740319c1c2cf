package io.portcullis.scanner.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.Notification;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.engine.AppliedAction;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Decision;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.policy.engine.PolicyOutcome;
import io.portcullis.policy.engine.TimeWindow;
import io.portcullis.policy.engine.VerdictClass;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the policy-engine's outcome into the verdict's terms: one {@link RecipientDecision} per group of recipients
 * (main action, deciding rule, subject tags and headers joined, attachments to strip, quarantine area, redirect,
 * the opening of a defer window, bcc addresses, notifications), and the first group's action as the verdict's
 * top-level action. Evaluation itself (scopes, conditions, first main action decides, fail-safe) is
 * {@link CompiledPolicy}'s. Pure logic, no state.
 */
@ApplicationScoped
public class PolicyEvaluator {
    /** The rule id recorded when the fail-safe decides. */
    public static final String FAIL_SAFE_RULE = CompiledPolicy.FAIL_SAFE_RULE;

    /** Decides on findings alone (no envelope, headers or attachments), compiling the snapshot. */
    public PolicyDecision evaluate(List<Finding> findings, PolicySnapshot policy) {
        return evaluate(new PolicyInput("", List.of(), 0, findings, Map.of(), List.of(), Instant.now()),
                CompiledPolicy.compile(policy), Directory.NONE);
    }

    /**
     * Decides for every recipient.
     *
     * @throws Directory.DirectoryUnavailableException when a rule's scope needs the directory and it can't answer
     */
    public PolicyDecision evaluate(PolicyInput input, CompiledPolicy policy, Directory directory) {
        return decision(policy.evaluate(input, directory), input);
    }

    /** Decides leaving out rules whose scope needs the directory (it is down; see CompiledPolicy). */
    public PolicyDecision evaluateWithoutDirectory(PolicyInput input, CompiledPolicy policy) {
        return decision(policy.evaluateWithoutDirectory(input), input);
    }

    private PolicyDecision decision(PolicyOutcome outcome, PolicyInput input) {
        List<RecipientDecision> groups = new ArrayList<>();
        Set<String> matched = new LinkedHashSet<>();
        for (PolicyOutcome.Group g : outcome.groups()) {
            groups.add(decision(g, outcome.classes(), input));
            matched.addAll(g.decision().matched());
        }
        RecipientDecision first = groups.get(0);
        Action top = first.action() == Action.DELIVER && !first.modifications().isEmpty() ? Action.TAG : first.action();
        boolean virus = outcome.classes().contains(VerdictClass.VIRUS);
        boolean spam = outcome.classes().contains(VerdictClass.SPAM);
        return new PolicyDecision(top, first.ruleId(), outcome.classes(), virus, spam, outcome.spamScore(),
                first.modifications(), outcome.policyVersion(), groups, List.copyOf(matched));
    }

    private static RecipientDecision decision(PolicyOutcome.Group g, Set<VerdictClass> classes, PolicyInput input) {
        Decision d = g.decision();
        RuleAction main = d.main().action();
        StringBuilder tag = new StringBuilder();
        List<HeaderField> headers = new ArrayList<>();
        Set<String> strip = new LinkedHashSet<>();
        String notice = null;
        Set<String> bcc = new LinkedHashSet<>();
        List<Notification> notifications = new ArrayList<>();
        for (AppliedAction a : d.others()) {
            RuleAction r = a.action();
            switch (r.type()) {
                case "tag-subject" -> tag.append(r.value());
                case "add-header" -> headers.addAll(r.headers());
                case "strip-attachments" -> {
                    strip.addAll(a.attachments());
                    notice = notice == null ? r.value() : notice;
                }
                case "bcc" -> bcc.addAll(r.addresses());
                case "notify" -> notifications.add(new Notification(a.ruleId(),
                        r.value() == null ? "default" : r.value(), notifyTo(r.addresses(), classes, input)));
                default -> throw new IllegalStateException("unexpected action " + r.type());
            }
        }
        Modifications mods = new Modifications(tag.isEmpty() ? null : tag.toString(), headers, List.copyOf(strip),
                notice);
        Action action = switch (main.type()) {
            case "deliver", "redirect", "defer" -> Action.DELIVER;
            case "delete" -> Action.DELETE;
            case "quarantine" -> Action.QUARANTINE;
            case "reject" -> Action.REJECT;
            default -> throw new IllegalStateException("unexpected main action " + main.type());
        };
        Instant deferUntil = null;
        if (main.type().equals("defer")) {
            Instant opening = TimeWindow.parse(main.value(), null, "defer").nextOpening(input.evaluatedAt());
            deferUntil = opening.isAfter(input.evaluatedAt()) ? opening : null;
        }
        return new RecipientDecision(g.recipients(), action, d.main().ruleId(), action == Action.DELIVER ? mods
                : new Modifications(null, List.of(), List.of(), null), main.type().equals("quarantine")
                ? main.value() : null, main.type().equals("redirect") ? main.addresses() : List.of(), deferUntil,
                List.copyOf(bcc), notifications, d.matched());
    }

    /** The sender of a mass-mailing worm or of a bounce is not told anything: the address is forged or absent. */
    private static List<String> notifyTo(List<String> to, Set<VerdictClass> classes, PolicyInput input) {
        boolean forgedOrNone = classes.contains(VerdictClass.MASS_MAILER) || input.sender().isEmpty();
        return to.stream().filter(t -> !(forgedOrNone && t.equalsIgnoreCase("sender"))).toList();
    }
}
