package io.portcullis.scanner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.engine.VerdictClass;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private static final PolicySnapshot SEEDED = DefaultPolicy.SNAPSHOT;

    private static Finding virus() {
        return new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in raw");
    }

    private static Finding spam(double score) {
        return new Finding("SPAMMY", Category.SPAM, score, "x");
    }

    private static Finding blocked() {
        return new Finding("BANNED_EXTENSION", Category.BLOCKED_ATTACHMENT, 0, "exe in part/2");
    }

    private static Finding failure() {
        return new Finding("AV_FAIL", Category.FAILURE, 0, "eicar timed out");
    }

    private static PolicySnapshot with(double threshold, PolicyRule... rules) {
        return new PolicySnapshot("default", 7, List.of("example.com"), threshold, List.of("exe"), List.of(rules));
    }

    private static PolicyRule rule(String id, int priority, String match, Action action) {
        return new PolicyRule(id, id, priority, match, action, null, List.of());
    }

    @Test
    void noFindingsDeliversByDefault() {
        PolicyDecision d = evaluator.evaluate(List.of(), SEEDED);
        assertEquals(Action.DELIVER, d.action());
        assertNull(d.ruleId());
        assertEquals(Set.of(), d.classes());
        assertFalse(d.virus());
        assertFalse(d.spam());
        assertEquals(0, d.spamScore());
        assertEquals(Modifications.NONE, d.modifications());
        assertEquals(0, d.policyVersion());
    }

    @Test
    void virusFindingIsVirusClassAndQuarantined() {
        PolicyDecision d = evaluator.evaluate(List.of(virus()), SEEDED);
        assertEquals(Set.of(VerdictClass.VIRUS), d.classes());
        assertTrue(d.virus());
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("virus-quarantine", d.ruleId());
    }

    @Test
    void blockedAttachmentFindingIsQuarantined() {
        PolicyDecision d = evaluator.evaluate(List.of(blocked()), SEEDED);
        assertEquals(Set.of(VerdictClass.BLOCKED_ATTACHMENT), d.classes());
        assertEquals("blocked-attachment-quarantine", d.ruleId());
        assertFalse(d.virus());
    }

    @Test
    void failureFindingIsScanFailureAndQuarantined() {
        PolicyDecision d = evaluator.evaluate(List.of(failure()), SEEDED);
        assertEquals(Set.of(VerdictClass.SCAN_FAILURE), d.classes());
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("scan-failure-quarantine", d.ruleId());
    }

    @Test
    void spamAtOrAboveThresholdIsTaggedWithModifications() {
        PolicyDecision d = evaluator.evaluate(List.of(spam(3), spam(2.5)), SEEDED);
        assertTrue(d.spam());
        assertEquals(5.5, d.spamScore());
        assertEquals(Action.TAG, d.action());
        assertEquals("spam-tag", d.ruleId());
        assertEquals(new Modifications("[SPAM] ", List.of(new HeaderField("X-Portcullis-Spam", "yes"))),
                d.modifications());
    }

    @Test
    void scoreExactlyAtThresholdIsSpam() {
        PolicyDecision d = evaluator.evaluate(List.of(spam(2), spam(3)), SEEDED);
        assertEquals(5.0, d.spamScore());
        assertTrue(d.spam());
        assertEquals(Action.TAG, d.action());
    }

    @Test
    void scoreJustBelowThresholdIsNotSpam() {
        PolicyDecision d = evaluator.evaluate(List.of(spam(4.99)), SEEDED);
        assertFalse(d.spam());
        assertEquals(4.99, d.spamScore());
        assertEquals(Action.DELIVER, d.action());
        assertEquals(Modifications.NONE, d.modifications());
    }

    @Test
    void zeroThresholdDoesNotMakeMailWithoutSpamFindingsSpam() {
        PolicyDecision d = evaluator.evaluate(List.of(), with(0, rule("s", 1, "SPAM", Action.DELETE)));
        assertFalse(d.spam());
        assertEquals(Action.DELIVER, d.action());
    }

    @Test
    void rulesRunInAscendingPriorityNotListOrder() {
        PolicySnapshot p = with(5, rule("late", 50, "VIRUS", Action.DELETE), rule("early", 5, "VIRUS", Action.REJECT));
        PolicyDecision d = evaluator.evaluate(List.of(virus()), p);
        assertEquals(Action.REJECT, d.action());
        assertEquals("early", d.ruleId());
        assertEquals(7, d.policyVersion());
    }

    @Test
    void firstMatchingRuleWinsAcrossClasses() {
        // Virus and spam at once: the seeded order puts VIRUS (10) before SPAM (40).
        PolicyDecision d = evaluator.evaluate(List.of(spam(1000), virus()), SEEDED);
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("virus-quarantine", d.ruleId());
        assertTrue(d.spam());
        assertTrue(d.virus());
        assertEquals(Modifications.NONE, d.modifications(), "modifications only for TAG");
        assertEquals(Set.of(VerdictClass.VIRUS, VerdictClass.SPAM), d.classes());
    }

    @Test
    void symbolRuleMatchesOneFindingSymbol() {
        PolicySnapshot p = with(5, rule("gtube-delete", 1, "SYMBOL:GTUBE", Action.DELETE),
                rule("spam-tag", 2, "SPAM", Action.TAG));
        PolicyDecision gtube = evaluator.evaluate(List.of(new Finding("GTUBE", Category.SPAM, 1000, "x")), p);
        assertEquals(Action.DELETE, gtube.action());
        assertEquals("gtube-delete", gtube.ruleId());
        PolicyDecision other = evaluator.evaluate(List.of(spam(10)), p);
        assertEquals("spam-tag", other.ruleId());
        assertEquals(Action.DELIVER, other.action(), "a TAG rule without a tag or headers delivers unchanged");
    }

    @Test
    void scanFailureOrVirusThatNoRuleDecidesIsQuarantinedByTheFailSafeNeverDelivered() {
        PolicySnapshot noRules = with(5);
        PolicyDecision failed = evaluator.evaluate(List.of(failure()), noRules);
        assertEquals(Action.QUARANTINE, failed.action());
        assertEquals(PolicyEvaluator.FAIL_SAFE_RULE, failed.ruleId());
        PolicyDecision infected = evaluator.evaluate(List.of(virus()), noRules);
        assertEquals(Action.QUARANTINE, infected.action());
        assertEquals(PolicyEvaluator.FAIL_SAFE_RULE, infected.ruleId());
        assertEquals(Action.DELIVER, evaluator.evaluate(List.of(spam(0.1)), noRules).action());
    }

    @Test
    void symbolRuleMatchesEvenBelowTheSpamThresholdAndForFailures() {
        PolicySnapshot p = with(5, rule("timeout-deliver", 1, "SYMBOL:AV_FAIL", Action.DELIVER),
                rule("fail", 2, "SCAN_FAILURE", Action.QUARANTINE), rule("low", 3, "SYMBOL:SPAMMY", Action.TAG));
        assertEquals("timeout-deliver", evaluator.evaluate(List.of(failure()), p).ruleId());
        assertEquals("low", evaluator.evaluate(List.of(spam(0.1)), p).ruleId());
    }

    @Test
    void matchIsCaseInsensitiveAndTrimmed() {
        PolicySnapshot p = with(5, rule("v", 1, " virus ", Action.DELETE), rule("s", 2, "symbol:av_fail",
                Action.REJECT));
        assertEquals("v", evaluator.evaluate(List.of(virus()), p).ruleId());
        assertEquals("s", evaluator.evaluate(List.of(failure()), p).ruleId());
    }

    @Test
    void unknownOrEmptyMatchesAndRulesWithoutActionAreRefusedNotIgnored() {
        for (PolicyRule bad : List.of(rule("unknown", 1, "PHISHING", Action.DELETE), rule("empty", 2, "", Action.DELETE),
                rule("bare-symbol", 3, "SYMBOL:", Action.DELETE), rule("no-action", 4, "VIRUS", null))) {
            PolicySnapshot p = with(5, bad, rule("virus", 5, "VIRUS", Action.QUARANTINE));
            org.junit.jupiter.api.Assertions.assertThrows(io.portcullis.policy.engine.PolicyValidationException.class,
                    () -> evaluator.evaluate(List.of(virus()), p), bad.id());
        }
    }

    @Test
    void contentAndInfoFindingsAloneDeliver() {
        PolicyDecision d = evaluator.evaluate(List.of(new Finding("MIME_DEFECT", Category.CONTENT, 0, "x"),
                new Finding("NOTE", Category.INFO, 0, "y")), SEEDED);
        assertEquals(Action.DELIVER, d.action());
        assertEquals(Set.of(), d.classes());
    }

    @Test
    void tagRuleWithoutPrefixStillCarriesHeaders() {
        PolicyRule tag = new PolicyRule("t", "t", 1, "SPAM", Action.TAG, null,
                List.of(new HeaderField("X-Spam", "yes")));
        PolicyDecision d = evaluator.evaluate(List.of(spam(9)), with(5, tag));
        assertEquals(new Modifications(null, List.of(new HeaderField("X-Spam", "yes"))), d.modifications());
    }

    @Test
    void massMailerIsDeletedBySeededPolicyAndIsAlsoAVirus() {
        PolicyDecision d = evaluator.evaluate(List.of(new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0,
                "Email.Worm.Mydoom-1 in part 2")), SEEDED);
        assertEquals(Action.DELETE, d.action());
        assertEquals("mass-mailer-delete", d.ruleId());
        assertEquals(Set.of(VerdictClass.VIRUS, VerdictClass.MASS_MAILER), d.classes());
        assertTrue(d.virus());
    }

    @Test
    void massMailerFallsBackToTheVirusRuleWhenItsOwnRuleIsGone() {
        PolicySnapshot policy = with(5, rule("v", 10, "VIRUS", Action.QUARANTINE));
        PolicyDecision d = evaluator.evaluate(List.of(new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "x")),
                policy);
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("v", d.ruleId());
    }

    @Test
    void graywareHasItsOwnRuleAndIsNotAVirus() {
        PolicyDecision d = evaluator.evaluate(List.of(new Finding("AV_ADWARE", Category.GRAYWARE, 0,
                "PUA.Win.Adware.X-1 in part 2")), SEEDED);
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("grayware-quarantine", d.ruleId());
        assertEquals(Set.of(VerdictClass.GRAYWARE), d.classes());
        assertFalse(d.virus());
        PolicySnapshot tagGrayware = with(5, rule("v", 10, "VIRUS", Action.QUARANTINE),
                rule("g", 20, "GRAYWARE", Action.TAG));
        assertEquals("g", evaluator.evaluate(List.of(new Finding("AV_ADWARE", Category.GRAYWARE, 0, "x")),
                tagGrayware).ruleId());
    }

    @Test
    void virusWinsOverGraywareInTheSameMessage() {
        PolicyDecision d = evaluator.evaluate(List.of(new Finding("AV_ADWARE", Category.GRAYWARE, 0, "x"), virus()),
                SEEDED);
        assertEquals("virus-quarantine", d.ruleId());
    }

    @Test
    void activeContentIsQuarantinedBySeededPolicy() {
        PolicyDecision d = evaluator.evaluate(List.of(new Finding("MACRO_VBA", Category.ACTIVE_CONTENT, 0,
                "AutoOpen in part 2")), SEEDED);
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("active-content-quarantine", d.ruleId());
        assertEquals(Set.of(VerdictClass.ACTIVE_CONTENT), d.classes());
    }
}
