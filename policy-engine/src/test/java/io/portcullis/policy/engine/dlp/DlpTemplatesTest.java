package io.portcullis.policy.engine.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.engine.content.Deadlines;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DlpTemplatesTest {

    @Test
    void builtInsHaveTheirIds() {
        assertEquals(DlpTemplates.BUILT_IN_IDS,
                DlpTemplates.builtIns().stream().map(DlpTemplate::id).toList());
        assertEquals(List.of("credit-card", "iban", "us-ssn", "email-list", "phone-list"), DlpTemplates.BUILT_IN_IDS);
    }

    @Test
    void unknownBuiltInIsRefused() {
        assertMessage("template: unknown built-in template 'passport' (known: credit-card, iban, us-ssn, "
                + "email-list, phone-list)", () -> DlpTemplates.builtIn("passport"));
        assertThrows(IllegalArgumentException.class, () -> DlpTemplates.builtIn("keyword-proximity"));
    }

    @Test
    void dictionaryTemplateScoresAndHitsAtItsThreshold() {
        DlpTemplate template = DlpTemplates.compile(DlpTemplateSpec.dictionary("acme-secrets",
                List.of("confidential", "merger", "public"), List.of(2.0, 5.0, -3.0), 7));
        DlpResult hit = template.scan("Confidential: the merger.", Deadlines.generous());
        assertEquals("acme-secrets", hit.template());
        assertEquals(7.0, hit.score().orElseThrow());
        assertTrue(hit.hit());
        assertEquals(2, hit.count());
        assertEquals(List.of(new DlpMatch("merger x1 (+5.0)", 18), new DlpMatch("confidential x1 (+2.0)", 0)),
                hit.samples());
        DlpResult miss = template.scan("Confidential: the merger is public.", Deadlines.generous());
        assertEquals(4.0, miss.score().orElseThrow());
        assertFalse(miss.hit());
    }

    @Test
    void keywordTemplateHitsAtItsMinimumCount() {
        DlpTemplate template = DlpTemplates.compile(DlpTemplateSpec.keyword("codenames", List.of("falcon", "osprey"),
                2));
        assertFalse(template.scan("falcon", Deadlines.generous()).hit());
        DlpResult result = template.scan("Falcon and OSPREY", Deadlines.generous());
        assertTrue(result.hit());
        assertEquals(List.of(new DlpMatch("falcon", 0), new DlpMatch("osprey", 11)), result.samples());
        assertTrue(result.score().isEmpty());
    }

    @Test
    void patternTemplateCountsAndRedactsMatches() {
        DlpTemplate template = DlpTemplates.compile(DlpTemplateSpec.pattern("employee-id", "EMP-[0-9]{6}", 1));
        DlpResult result = template.scan("ids EMP-123456 and EMP-654321", Deadlines.generous());
        assertEquals(2, result.count());
        assertTrue(result.hit());
        assertEquals(List.of("***-***456", "***-***321"),
                result.samples().stream().map(DlpMatch::redacted).toList());
        DlpAssertions.assertNoSampleLeaks(result, "EMP-123456");
        DlpAssertions.assertNoSampleLeaks(result, "EMP-654321");
    }

    @Test
    void patternSamplesOfShortMatchesRevealNothing() {
        DlpTemplate template = DlpTemplates.compile(DlpTemplateSpec.pattern("pin", "[0-9]{2}", 1));
        assertEquals("**", template.scan("PIN 42", Deadlines.generous()).samples().get(0).redacted());
    }

    @Test
    void proximityTemplateUsesItsIdAndMinimumCount() {
        DlpTemplate template = DlpTemplates.compile(DlpTemplateSpec.proximity("salary-leak", List.of("salary"),
                List.of("spreadsheet", "list"), 2, 1));
        DlpResult result = template.scan("the salary list", Deadlines.generous());
        assertEquals("salary-leak", result.template());
        assertTrue(result.hit());
    }

    @Test
    void errorsNameTheField() {
        assertMessage("spec: required", () -> DlpTemplates.compile(null));
        assertMessage("id: required", () -> DlpTemplates.compile(DlpTemplateSpec.keyword(null, List.of("a"), 1)));
        assertMessage("id: 'Bad Id' must match [a-z0-9][a-z0-9._-]{0,63}",
                () -> DlpTemplates.compile(DlpTemplateSpec.keyword("Bad Id", List.of("a"), 1)));
        assertMessage("id: 'credit-card' is the id of a built-in template",
                () -> DlpTemplates.compile(DlpTemplateSpec.keyword("credit-card", List.of("a"), 1)));
        assertMessage("kind: required (one of DICTIONARY, KEYWORD, PATTERN, PROXIMITY)",
                () -> DlpTemplates.compile(new DlpTemplateSpec("x", null, null, null, null, null, null, null)));
        assertMessage("terms[3]: empty term",
                () -> DlpTemplates.compile(DlpTemplateSpec.keyword("x", List.of("a", "b", "c", " "), 1)));
        assertMessage("nearTerms[1]: term too long (201 chars, max 200)", () -> DlpTemplates.compile(
                DlpTemplateSpec.proximity("x", List.of("a"), List.of("b", "c".repeat(201)), 3, 1)));
        assertMessage("weights: 1 weights for 2 terms (one weight per term)", () -> DlpTemplates.compile(
                DlpTemplateSpec.dictionary("x", List.of("a", "b"), List.of(1.0), 1)));
        assertMessage("weights[1]: must be a finite number", () -> DlpTemplates.compile(
                DlpTemplateSpec.dictionary("x", List.of("a", "b"), Arrays.asList(1.0, null), 1)));
        assertMessage("threshold: required for kind DICTIONARY", () -> DlpTemplates.compile(new DlpTemplateSpec(
                "x", DlpTemplateSpec.Kind.DICTIONARY, List.of("a"), List.of(1.0), null, null, null, null)));
        assertMessage("threshold: must be a whole number from 1 to 10000 (a minimum count) for kind KEYWORD",
                () -> DlpTemplates.compile(new DlpTemplateSpec("x", DlpTemplateSpec.Kind.KEYWORD, List.of("a"), null,
                        null, null, 1.5, null)));
        assertMessage("threshold: must be a whole number from 1 to 10000 (a minimum count) for kind PATTERN",
                () -> DlpTemplates.compile(DlpTemplateSpec.pattern("x", "a", 0)));
        assertMessage("distance: must be from 1 to 200 words, was 0", () -> DlpTemplates.compile(
                DlpTemplateSpec.proximity("x", List.of("a"), List.of("b"), 0, 1)));
        assertMessage("distance: required for kind PROXIMITY", () -> DlpTemplates.compile(new DlpTemplateSpec("x",
                DlpTemplateSpec.Kind.PROXIMITY, List.of("a"), null, List.of("b"), null, null, null)));
        assertMessage("pattern: not used by kind KEYWORD", () -> DlpTemplates.compile(new DlpTemplateSpec("x",
                DlpTemplateSpec.Kind.KEYWORD, List.of("a"), null, null, "a+", null, null)));
        assertMessage("terms: not used by kind PATTERN", () -> DlpTemplates.compile(new DlpTemplateSpec("x",
                DlpTemplateSpec.Kind.PATTERN, List.of("a"), null, null, "a+", null, null)));
        assertMessage("pattern: empty pattern", () -> DlpTemplates.compile(DlpTemplateSpec.pattern("x", "", 1)));
    }

    @Test
    void badPatternErrorNamesTheFieldAndCarriesTheRe2Error() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DlpTemplates.compile(DlpTemplateSpec.pattern("x", "[a-z", 1)));
        assertTrue(e.getMessage().startsWith("pattern: invalid regular expression: "), e.getMessage());
        assertTrue(e.getMessage().contains("missing closing ]"), e.getMessage());
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> DlpTemplates.compile(DlpTemplateSpec.pattern("x", "((a{1,1000}){1,1000}){1,1000}", 1)));
        assertTrue(tooBig.getMessage().startsWith("pattern: pattern too complex"), tooBig.getMessage());
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
