package io.portcullis.policy.engine.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.engine.content.Deadlines;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordProximityTemplateTest {

    private static final DlpTemplate WITHIN_THREE = DlpTemplates.keywordProximity(List.of("confidential"),
            List.of("project falcon", "merger"), 3);

    private static DlpResult scan(String text) {
        DlpResult result = WITHIN_THREE.scan(text, Deadlines.generous());
        assertTrue(result.complete());
        return result;
    }

    @Test
    void adjacentTermsAreOneWordApart() {
        DlpResult result = scan("Confidential merger");
        assertEquals(1, result.count());
        assertEquals(DlpTemplates.KEYWORD_PROXIMITY, result.template());
        assertEquals(List.of(new DlpMatch("confidential ~ merger", 0)), result.samples());
    }

    @Test
    void hitsAtExactlyTheDistanceButNotOneWordBeyond() {
        assertEquals(1, scan("confidential one two merger").count());
        assertEquals(0, scan("confidential one two three merger").count());
    }

    @Test
    void worksInBothDirectionsAndWithPhrases() {
        assertEquals(1, scan("merger one two confidential").count());
        assertEquals(0, scan("merger one two three confidential").count());
        assertEquals(1, scan("Project\nFalcon, a b confidential").count());
        assertEquals(0, scan("Project Falcon a b c confidential").count());
    }

    @Test
    void countsEachFirstListOccurrenceOnce() {
        DlpResult result = scan("confidential merger merger. lorem ipsum dolor sit amet. confidential x merger");
        assertEquals(2, result.count());
        assertTrue(result.hit());
    }

    @Test
    void punctuationDoesNotCountAsAWord() {
        assertEquals(1, scan("confidential -- (one) ... two: merger").count());
    }

    @Test
    void noHitWithoutBothLists() {
        DlpResult result = scan("confidential confidential");
        assertEquals(0, result.count());
        assertFalse(result.hit());
    }

    @Test
    void flagsTooManyOccurrencesAsTruncated() {
        DlpTemplate template = DlpTemplates.keywordProximity(List.of("a"), List.of("b"), 1);
        DlpResult result = template.scan("a ".repeat(KeywordProximityTemplate.MAX_HITS + 10) + "b",
                Deadlines.generous());
        assertTrue(result.truncated());
        assertFalse(result.timedOut());
    }

    @Test
    void flagsTimeout() {
        assertTrue(WITHIN_THREE.scan("confidential merger", Deadlines.expired()).timedOut());
    }
}
