package io.portcullis.scanner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scanner's side of policy: what rules see of a message, and how the outcome becomes the verdict's groups. */
class PolicyDecisionMappingTest {
    private static final Instant FRI_NOON = Instant.parse("2026-11-27T12:00:00Z");
    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    private static PolicySnapshot snapshot(PolicyRule... rules) {
        return new PolicySnapshot("t", 3, List.of("example.com"), 5.0, List.of(), List.of(rules));
    }

    private static PolicyRule rule(String id, int prio, List<RuleCondition> when, RuleAction... actions) {
        return PolicyRule.of(id, id, prio, null, null, when, List.of(actions));
    }

    private static final String MAIL = String.join("\r\n",
            "From: Sender <s@outside.test>", "To: a@example.com", "Subject: =?UTF-8?Q?Quarterly_n=C3=BCmbers?=",
            "X-Mailer: BulkBlaster 3", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
            "--b", "Content-Type: text/plain", "", "see attached", "--b",
            "Content-Type: application/octet-stream; name=report.pdf",
            "Content-Disposition: attachment; filename=report.pdf", "Content-Transfer-Encoding: base64", "",
            java.util.Base64.getEncoder().encodeToString("%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)),
            "--b--", "");

    private PolicyInput input(List<String> rcpts, List<Finding> findings) {
        byte[] raw = MAIL.getBytes(StandardCharsets.US_ASCII);
        Decomposition d = new MessageDecomposer(DecompositionLimits.DEFAULTS).decompose(raw);
        return PolicyInputs.of(new Envelope("s@outside.test", rcpts, "h", "192.0.2.1", false), raw.length, findings,
                d, FRI_NOON);
    }

    @Test
    void rulesSeeDecodedHeadersAndAttachmentsWithTrueTypes() {
        PolicyInput in = input(List.of("a@example.com"), List.of());
        assertEquals(List.of("Quarterly nümbers"), in.header("Subject"));
        assertEquals(List.of("BulkBlaster 3"), in.header("x-mailer"));
        assertEquals(1, in.attachments().size(), "the text body is not an attachment");
        assertEquals("report.pdf", in.attachments().get(0).filename());
        assertEquals("application/pdf", in.attachments().get(0).trueType(), "type from the content, not the label");
        assertEquals(15, in.attachments().get(0).size());
    }

    @Test
    void differentDecisionsSplitTheMessageIntoGroups() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(
                PolicyRule.of("legal-pdf", "legal-pdf", 1, Direction.INBOUND,
                        new RuleScope(null, List.of("legal@example.com"), null, null),
                        List.of(RuleCondition.of("attachment-extension", "pdf")),
                        List.of(RuleAction.of("quarantine", "legal-hold"))),
                rule("bulk", 2, List.of(new RuleCondition("header", "X-Mailer", null, List.of("(?i)bulk"), null, false)),
                        RuleAction.of("tag-subject", "[BULK] "),
                        new RuleAction("add-header", null, null, List.of(new HeaderField("X-Bulk", "1"))),
                        new RuleAction("bcc", null, List.of("archive@example.com"), null))));
        PolicyDecision d = evaluator.evaluate(input(List.of("a@example.com", "legal@example.com"), List.of()), p,
                Directory.NONE);
        assertEquals(2, d.groups().size());
        RecipientDecision a = d.groups().get(0);
        assertEquals(List.of("a@example.com"), a.recipients());
        assertEquals(Action.DELIVER, a.action());
        assertEquals("[BULK] ", a.modifications().subjectPrefix());
        assertEquals(List.of(new HeaderField("X-Bulk", "1")), a.modifications().addHeaders());
        assertEquals(List.of("archive@example.com"), a.bcc());
        RecipientDecision legal = d.groups().get(1);
        assertEquals(Action.QUARANTINE, legal.action());
        assertEquals("legal-hold", legal.quarantineArea());
        assertEquals(Action.TAG, d.action(), "top level: the first group, delivered with a tag");
        assertEquals(List.of("bulk", "legal-pdf"), d.matchedRules().stream().sorted().toList());
    }

    @Test
    void stripRedirectDeferAndNotifyBecomeVerdictFields() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(
                rule("strip", 1, List.of(RuleCondition.of("attachment-name", "*.pdf")),
                        RuleAction.of("strip-attachments", "PDF removed by policy")),
                rule("notify", 2, List.of(), new RuleAction("notify", "pdf-notice", List.of("sender", "admin"), null)),
                rule("after-hours", 3, List.of(), RuleAction.of("defer", "Mon-Fri 18:00-07:00"))));
        RecipientDecision g = evaluator.evaluate(input(List.of("a@example.com"), List.of()), p, Directory.NONE)
                .groups().get(0);
        assertEquals(List.of("part/2"), g.modifications().stripAttachments());
        assertEquals("PDF removed by policy", g.modifications().stripNotice());
        assertEquals(Instant.parse("2026-11-27T18:00:00Z"), g.deferUntil());
        assertEquals("pdf-notice", g.notifications().get(0).template());
        assertEquals(List.of("sender", "admin"), g.notifications().get(0).to());

        CompiledPolicy redirect = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(),
                new RuleAction("redirect", null, List.of("review@example.com"), null))));
        RecipientDecision r = evaluator.evaluate(input(List.of("a@example.com"), List.of()), redirect, Directory.NONE)
                .groups().get(0);
        assertEquals(Action.DELIVER, r.action());
        assertEquals(List.of("review@example.com"), r.redirectTo());
        assertNull(r.deferUntil());
    }

    @Test
    void forgedSendersOfMassMailersAreNeverNotified() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(rule("n", 1, List.of(RuleCondition.of("class", "VIRUS")),
                RuleAction.of("quarantine", null), new RuleAction("notify", null, List.of("sender", "admin"), null))));
        RecipientDecision g = evaluator.evaluate(input(List.of("a@example.com"),
                List.of(new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "x"))), p, Directory.NONE).groups().get(0);
        assertEquals(List.of("admin"), g.notifications().get(0).to());
        assertEquals("default", g.notifications().get(0).template());
    }

    @Test
    void aDirectoryOutageLeavesScopedRulesOutAndTheFailSafeDecides() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(PolicyRule.of("vip", "vip", 1, null,
                new RuleScope(null, null, null, List.of("group:executives")), List.of(),
                List.of(RuleAction.of("delete", null)))));
        PolicyInput in = input(List.of("a@example.com"), List.of(new Finding(
                io.portcullis.scanner.service.ScanService.DIRECTORY_FAIL, Category.FAILURE, 0, "down")));
        PolicyDecision d = evaluator.evaluateWithoutDirectory(in, p);
        assertEquals(Action.QUARANTINE, d.action(), "the delete-except-executives rule is left out, not applied");
        assertEquals(PolicyEvaluator.FAIL_SAFE_RULE, d.ruleId());
        assertTrue(d.matchedRules().isEmpty());
    }
}
