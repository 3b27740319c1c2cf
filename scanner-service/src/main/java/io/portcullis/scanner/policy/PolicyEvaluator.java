package io.portcullis.scanner.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.scan.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns findings into an action with a policy snapshot. Findings are put into {@link VerdictClass}es; rules are tried
 * in ascending priority and the first whose match is a class of the message, or {@code SYMBOL:<name>} of one of its
 * findings, decides. No match: DELIVER, except that a scan failure or a virus that no rule decides is quarantined by
 * the built-in fail-safe ({@value #FAIL_SAFE_RULE}): deleting the policy's rules never turns a failed scan into
 * "clean". An explicit rule (for example {@code SYMBOL:AV_FAIL → DELIVER}) still wins. Pure logic, no state.
 */
@ApplicationScoped
public class PolicyEvaluator {
    private static final String SYMBOL_PREFIX = "SYMBOL:";
    /** The antivirus symbol of mass-mailing worms. */
    static final String MASS_MAILER_SYMBOL = "AV_WORM_MASS_MAILER";
    /** The rule id recorded when the fail-safe decides. */
    public static final String FAIL_SAFE_RULE = "builtin-fail-safe";

    public PolicyDecision evaluate(List<Finding> findings, PolicySnapshot policy) {
        Set<VerdictClass> classes = EnumSet.noneOf(VerdictClass.class);
        double spamScore = 0;
        boolean spamFinding = false;
        for (Finding f : findings) {
            switch (f.category()) {
                case VIRUS -> {
                    classes.add(VerdictClass.VIRUS);
                    if (MASS_MAILER_SYMBOL.equals(f.symbol())) {
                        classes.add(VerdictClass.MASS_MAILER);
                    }
                }
                case GRAYWARE -> classes.add(VerdictClass.GRAYWARE);
                case ACTIVE_CONTENT -> classes.add(VerdictClass.ACTIVE_CONTENT);
                case BLOCKED_ATTACHMENT -> classes.add(VerdictClass.BLOCKED_ATTACHMENT);
                case FAILURE -> classes.add(VerdictClass.SCAN_FAILURE);
                case SPAM -> {
                    spamFinding = true;
                    spamScore += f.score();
                }
                default -> {
                }
            }
        }
        boolean spam = spamFinding && spamScore >= policy.spamThreshold();
        if (spam) {
            classes.add(VerdictClass.SPAM);
        }
        boolean virus = classes.contains(VerdictClass.VIRUS);
        List<PolicyRule> rules = new ArrayList<>(policy.rules());
        rules.sort(Comparator.comparingInt(PolicyRule::priority));
        for (PolicyRule rule : rules) {
            if (rule.action() != null && matches(rule.match(), classes, findings)) {
                Modifications mods = rule.action() == Action.TAG
                        ? new Modifications(rule.subjectPrefix(), rule.addHeaders())
                        : Modifications.NONE;
                return new PolicyDecision(rule.action(), rule.id(), classes, virus, spam, spamScore, mods,
                        policy.version());
            }
        }
        if (virus || classes.contains(VerdictClass.SCAN_FAILURE)) {
            return new PolicyDecision(Action.QUARANTINE, FAIL_SAFE_RULE, classes, virus, spam, spamScore,
                    Modifications.NONE, policy.version());
        }
        return new PolicyDecision(Action.DELIVER, null, classes, virus, spam, spamScore, Modifications.NONE,
                policy.version());
    }

    static boolean matches(String match, Set<VerdictClass> classes, List<Finding> findings) {
        if (match == null || match.isBlank()) {
            return false;
        }
        String m = match.trim();
        if (m.regionMatches(true, 0, SYMBOL_PREFIX, 0, SYMBOL_PREFIX.length())) {
            String symbol = m.substring(SYMBOL_PREFIX.length()).trim();
            return !symbol.isEmpty() && findings.stream().anyMatch(f -> symbol.equalsIgnoreCase(f.symbol()));
        }
        for (VerdictClass c : classes) {
            if (c.name().equals(m.toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
