package io.portcullis.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentConditionsTest {
    private static final MessageText TEXT = new MessageText("Quarterly salary review",
            "Please keep this confidential. The project codename is BLUEBIRD.",
            List.of(new MessageText.PartText("part/2", "plan.docx", "Merger plan: acquire Initech for 12 million")));

    private static PolicySnapshot snapshot(RuleCondition c) {
        return new PolicySnapshot("t", 1, List.of("example.com"), 5, List.of(), List.of(PolicyRule.of("r", "r", 1,
                null, null, List.of(c), List.of(RuleAction.of("quarantine", "dlp")))));
    }

    private static boolean holds(RuleCondition c, List<Finding> findings, long budgetNanos) {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(c), budgetNanos);
        PolicyInput in = new PolicyInput("s@x.test", List.of("a@example.com"), 100, findings, Map.of(), List.of(),
                Instant.EPOCH, TEXT);
        return p.evaluate(in, Directory.NONE).groups().get(0).decision().action().equals("quarantine");
    }

    private static boolean holds(RuleCondition c) {
        return holds(c, List.of(), CompiledPolicy.CONTENT_BUDGET_NANOS);
    }

    private static RuleCondition cond(String type, String field, Double threshold, String... values) {
        return new RuleCondition(type, field, null, List.of(values), threshold, false);
    }

    @Test
    void keywordsByFieldAndCount() {
        assertTrue(holds(cond("keywords", "subject", null, "salary")));
        assertFalse(holds(cond("keywords", "body", null, "salary")), "the subject is not the body");
        assertTrue(holds(cond("keywords", "attachments", null, "merger plan")));
        assertTrue(holds(cond("keywords", null, 3.0, "salary", "confidential", "merger")), "all fields by default");
        assertFalse(holds(cond("keywords", null, 4.0, "salary", "confidential", "merger")));
        assertFalse(holds(cond("keywords", null, null, "blue")), "whole words only");
    }

    @Test
    void regexAndDictionary() {
        assertTrue(holds(cond("regex", "body", null, "codename is [A-Z]+")));
        assertFalse(holds(cond("regex", "subject", null, "codename")));
        assertTrue(holds(cond("dictionary", null, 5.0, "confidential=3", "merger=2", "lunch=-4")));
        assertFalse(holds(cond("dictionary", null, 5.5, "confidential=3", "merger=2")));
    }

    @Test
    void dlpConditionsReadTheDlpEnginesFindings() {
        RuleCondition cards = cond("dlp", null, 2.0, "credit-card");
        assertTrue(holds(cards, List.of(new Finding("DLP_CREDIT_CARD", Category.CONTENT, 3, "**** 1111")),
                CompiledPolicy.CONTENT_BUDGET_NANOS));
        assertFalse(holds(cards, List.of(new Finding("DLP_CREDIT_CARD", Category.CONTENT, 1, "**** 1111")),
                CompiledPolicy.CONTENT_BUDGET_NANOS));
        assertFalse(holds(cards, List.of(new Finding("DLP_IBAN", Category.CONTENT, 9, "GB**5432")),
                CompiledPolicy.CONTENT_BUDGET_NANOS));
        CompiledPolicy p = CompiledPolicy.compile(snapshot(cond("dlp", null, null, "iban", "us-ssn")));
        assertEquals(Set.of("iban", "us-ssn"), p.dlpTemplates());
        assertFalse(p.needsText(), "DLP reads findings, not text");
        assertTrue(CompiledPolicy.compile(snapshot(cond("keywords", null, null, "x"))).needsText());
    }

    @Test
    void aContentScanOutOfTimeHolds() {
        assertTrue(holds(cond("keywords", null, null, "nowhere-to-be-found"), List.of(), 0),
                "no time left: the condition fails closed");
        RuleCondition negated = new RuleCondition("keywords", null, null, List.of("nowhere-to-be-found"), null, true);
        assertFalse(holds(negated, List.of(), 0));
    }

    @Test
    void unreadableAttachmentsMakeAttachmentConditionsHold() {
        MessageText partial = new MessageText(TEXT.subject(), TEXT.body(), TEXT.attachments(), false);
        CompiledPolicy p = CompiledPolicy.compile(snapshot(cond("keywords", "attachments", null, "absent")));
        PolicyInput in = new PolicyInput("s@x.test", List.of("a@example.com"), 100, List.of(), Map.of(), List.of(),
                Instant.EPOCH, partial);
        assertEquals("quarantine", p.evaluate(in, Directory.NONE).groups().get(0).decision().action());
        CompiledPolicy body = CompiledPolicy.compile(snapshot(cond("keywords", "body", null, "absent")));
        assertEquals("deliver", body.evaluate(in, Directory.NONE).groups().get(0).decision().action(),
                "the body was read: no reason to hold");
    }

    private static String error(RuleCondition c) {
        return assertThrows(PolicyValidationException.class, () -> CompiledPolicy.compile(snapshot(c))).field();
    }

    @Test
    void badContentConditionsNameTheField() {
        assertEquals("rules[0].conditions[0].field", error(cond("keywords", "footer", null, "x")));
        assertEquals("rules[0].conditions[0].values[1]", error(cond("keywords", null, null, "ok", " ")));
        assertEquals("rules[0].conditions[0].threshold", error(cond("keywords", null, 0.5, "x")));
        assertEquals("rules[0].conditions[0].values[0]", error(cond("regex", null, null, "(unclosed")));
        assertEquals("rules[0].conditions[0].values[0]", error(cond("regex", null, null,
                "((a{1,1000}){1,1000}){1,1000}")));
        assertEquals("rules[0].conditions[0].threshold", error(cond("dictionary", null, null, "x=1")));
        assertEquals("rules[0].conditions[0].values[0]", error(cond("dictionary", null, 1.0, "x=heavy")));
        assertEquals("rules[0].conditions[0].values[0]", error(cond("dlp", null, null, "passport")));
        assertEquals("rules[0].conditions[0].field", error(cond("dlp", "body", null, "iban")));
    }
}
