package io.portcullis.scanner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The built-in policy's sender rules: a safe sender never bypasses malware checks, a blocked one is quarantined. */
class SenderListPolicyTest {
    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private static final Finding SAFE = new Finding("SAFE_SENDER", Category.INFO, 0, "safe");
    private static final Finding BLOCKED = new Finding("BLOCKED_SENDER", Category.CONTENT, 0, "blocked");

    private PolicyDecision decide(Finding... findings) {
        return evaluator.evaluate(List.of(findings), DefaultPolicy.SNAPSHOT);
    }

    @Test
    void safeSenderWithEicarIsStillQuarantined() {
        PolicyDecision d = decide(SAFE, new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in raw"));
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("virus-quarantine", d.ruleId());
    }

    @Test
    void safeSenderNeverBypassesAnyMalwareAttachmentActiveContentOrFailureRule() {
        assertEquals("mass-mailer-delete", decide(SAFE, new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "w"))
                .ruleId());
        assertEquals("grayware-quarantine", decide(SAFE, new Finding("AV_ADWARE", Category.GRAYWARE, 0, "g"))
                .ruleId());
        assertEquals("blocked-attachment-quarantine", decide(SAFE,
                new Finding("BANNED_EXTENSION", Category.BLOCKED_ATTACHMENT, 0, "exe")).ruleId());
        assertEquals("active-content-quarantine", decide(SAFE, new Finding("MACRO_VBA", Category.ACTIVE_CONTENT, 0,
                "m")).ruleId());
        assertEquals("scan-failure-quarantine", decide(SAFE, new Finding("ARCHIVE_ENCRYPTED", Category.FAILURE, 0,
                "zip")).ruleId());
    }

    @Test
    void safeSenderWithAHighSpamScoreIsDeliveredUntagged() {
        PolicyDecision d = decide(SAFE, new Finding("BAYES_99", Category.SPAM, 5.5, "p"),
                new Finding("GTUBE", Category.SPAM, 1000, "gtube"));
        assertEquals(Action.DELIVER, d.action());
        assertEquals("safe-sender-deliver", d.ruleId());
        assertTrue(d.spam(), "still reported as spam, only not acted on");
        assertEquals(1005.5, d.spamScore());
    }

    @Test
    void blockedSenderIsQuarantinedEvenWhenTheContentLooksClean() {
        PolicyDecision d = decide(BLOCKED, new Finding("BAYES_00", Category.SPAM, -1.5, "p"));
        assertEquals(Action.QUARANTINE, d.action());
        assertEquals("blocked-sender-quarantine", d.ruleId());
        assertEquals(-1.5, d.spamScore(), "a block adds nothing to the spam score");
    }

    @Test
    void blockedSenderWithAMassMailerIsStillDeleted() {
        assertEquals(Action.DELETE, decide(BLOCKED, new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "w"))
                .action());
    }

    @Test
    void partialFindingsDoNotDecide() {
        assertEquals(Action.DELIVER, decide(new Finding("BLOCKED_SENDER_PARTIAL", Category.INFO, 0, "1 of 2"))
                .action());
        assertEquals(Action.TAG, decide(new Finding("SAFE_SENDER_PARTIAL", Category.INFO, 0, "1 of 2"),
                new Finding("BAYES_99", Category.SPAM, 5.5, "p")).action());
    }

    @Test
    void seededRulesRankSafeAfterEveryMalwareRuleAndBothBeforeSpam() {
        List<PolicyRule> rules = DefaultPolicy.SNAPSHOT.rules();
        int safe = rules.stream().filter(r -> r.id().equals("safe-sender-deliver")).findFirst().orElseThrow()
                .priority();
        int blocked = rules.stream().filter(r -> r.id().equals("blocked-sender-quarantine")).findFirst()
                .orElseThrow().priority();
        for (PolicyRule r : rules) {
            if (Set.of("MASS_MAILER", "VIRUS", "GRAYWARE", "BLOCKED_ATTACHMENT", "ACTIVE_CONTENT", "SCAN_FAILURE")
                    .contains(r.match())) {
                assertTrue(r.priority() < safe, r.id());
            }
            if (r.match().equals("SPAM")) {
                assertTrue(safe < r.priority() && blocked < r.priority(), r.id());
            }
        }
        assertEquals(List.of(34, 38), List.of(blocked, safe), "the same priorities as policy-service's V5 seed");
    }
}
