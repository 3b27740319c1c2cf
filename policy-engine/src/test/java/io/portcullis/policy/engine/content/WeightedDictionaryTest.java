package io.portcullis.policy.engine.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedDictionaryTest {

    private static final WeightedDictionary DICTIONARY = WeightedDictionary.compile(List.of(
            new WeightedTerm("confidential", 3),
            new WeightedTerm("internal only", 2),
            new WeightedTerm("merger", 5),
            new WeightedTerm("press release", -4)), 10);

    @Test
    void scoresWeightTimesOccurrences() {
        DictionaryResult result = DICTIONARY.match("Confidential: merger plans. Internal\nonly.",
                Deadlines.generous());
        assertEquals(10.0, result.score());
        assertTrue(result.hit());
        assertEquals(3, result.occurrences());
        assertTrue(result.complete());
    }

    @Test
    void negativeWeightsLowerTheScore() {
        DictionaryResult result = DICTIONARY.match("merger merger press release", Deadlines.generous());
        assertEquals(6.0, result.score());
        assertFalse(result.hit());
    }

    @Test
    void hitsExactlyAtTheThreshold() {
        assertTrue(DICTIONARY.match("merger merger", Deadlines.generous()).hit());
        assertFalse(DICTIONARY.match("merger confidential", Deadlines.generous()).hit());
    }

    @Test
    void capsOccurrencesPerTermSoOneWordCannotDominate() {
        DictionaryResult result = DICTIONARY.match("confidential ".repeat(1000), Deadlines.generous());
        assertEquals(3.0 * WeightedDictionary.MAX_OCCURRENCES_PER_TERM, result.score());
        assertEquals(WeightedDictionary.MAX_OCCURRENCES_PER_TERM, result.top().get(0).occurrences());
    }

    @Test
    void reportsTopContributorsByAbsoluteContribution() {
        DictionaryResult result = DICTIONARY.match("confidential merger press release internal only",
                Deadlines.generous());
        assertEquals(List.of("merger", "press release", "confidential", "internal only"),
                result.top().stream().map(TermContribution::term).toList());
        assertEquals(13, result.top().get(0).firstOffset());
    }

    @Test
    void reportsAtMostFiveTopTerms() {
        WeightedDictionary dictionary = WeightedDictionary.compile(List.of(new WeightedTerm("a1", 1),
                new WeightedTerm("a2", 2), new WeightedTerm("a3", 3), new WeightedTerm("a4", 4),
                new WeightedTerm("a5", 5), new WeightedTerm("a6", 6)), 1);
        DictionaryResult result = dictionary.match("a1 a2 a3 a4 a5 a6", Deadlines.generous());
        assertEquals(5, result.top().size());
        assertEquals("a6", result.top().get(0).term());
    }

    @Test
    void errorsNameTheField() {
        KeywordMatcherTest.assertMessage("terms[1]: weight must be a finite number",
                () -> WeightedDictionary.compile(List.of(new WeightedTerm("a", 1), new WeightedTerm("b", Double.NaN)),
                        1));
        KeywordMatcherTest.assertMessage("terms[1]: empty term",
                () -> WeightedDictionary.compile(List.of(new WeightedTerm("a", 1), new WeightedTerm(" ", 1)), 1));
        KeywordMatcherTest.assertMessage("threshold: must be a finite number",
                () -> WeightedDictionary.compile(List.of(new WeightedTerm("a", 1)), Double.POSITIVE_INFINITY));
    }

    @Test
    void flagsTimeoutAndTruncation() {
        assertTrue(DICTIONARY.match("merger", Deadlines.expired()).timedOut());
        DictionaryResult truncated = DICTIONARY.match("merger " + "x".repeat(100), Deadlines.generous(), 20);
        assertTrue(truncated.truncated());
        assertEquals(5.0, truncated.score());
    }
}
