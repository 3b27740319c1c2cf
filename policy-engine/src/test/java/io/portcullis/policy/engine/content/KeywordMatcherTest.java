package io.portcullis.policy.engine.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordMatcherTest {

    private static KeywordResult match(List<String> terms, String text) {
        return KeywordMatcher.compile(terms).match(text, Deadlines.generous());
    }

    @Test
    void matchesCaseInsensitively() {
        KeywordResult result = match(List.of("Confidential"), "CONFIDENTIAL and confidential and CoNfIdEnTiAl");
        assertEquals(3, result.count());
        assertEquals(List.of("Confidential"), result.termsHit());
        assertTrue(result.complete());
    }

    @Test
    void matchesWholeWordsOnly() {
        assertEquals(0, match(List.of("cat"), "concatenate cats scat").count());
        assertEquals(3, match(List.of("cat"), "cat, (cat) cat.").count());
    }

    @Test
    void treatsUnicodeLettersAndDigitsAsWordChars() {
        assertEquals(0, match(List.of("ber"), "über überall").count());
        assertEquals(1, match(List.of("über"), "Ich bin ÜBER alles").count());
        assertEquals(0, match(List.of("secret"), "secret2 2secret secretß").count());
        assertEquals(1, match(List.of("Δοκιμή"), "μια δοκιμή εδώ").count());
        // a combining accent continues the word
        assertEquals(0, match(List.of("cafe"), "cafe\u0301").count());
    }

    @Test
    void matchesPhrasesAcrossAnyWhitespace() {
        KeywordResult result = match(List.of("credit  card"),
                "credit card / Credit\n\tCard / credit\u00A0card / credit-card / creditcard");
        assertEquals(3, result.count());
    }

    @Test
    void matchesTermsWithPunctuationLiterally() {
        assertEquals(2, match(List.of("C++", "e-mail"), "I write C++ and send e-mail, not email").count());
    }

    @Test
    void countsEveryOccurrenceAndListsDistinctTermsInOrderOfFirstHit() {
        KeywordResult result = match(List.of("alpha", "beta", "gamma", "alpha beta"),
                "beta alpha beta gamma; alpha");
        // beta, alpha, "alpha beta", beta, gamma, alpha
        assertEquals(6, result.count());
        assertEquals(List.of("beta", "alpha", "alpha beta", "gamma"), result.termsHit());
    }

    @Test
    void reportsWordOrdinalsOfEachHit() {
        KeywordMatcher matcher = KeywordMatcher.compile(List.of("two three", "five"));
        List<KeywordHit> hits = new ArrayList<>();
        matcher.scan(BoundedText.of("one two  three, four five", 1000, Deadlines.generous()), hits::add);
        assertEquals(List.of(new KeywordHit(0, 4, 14, 1, 2), new KeywordHit(1, 21, 25, 4, 4)), hits);
    }

    @Test
    void errorsNameTheOffendingTermIndex() {
        assertMessage("terms[1]: empty term", () -> KeywordMatcher.compile(List.of("ok", "  ")));
        assertMessage("terms[0]: empty term", () -> KeywordMatcher.compile(Collections.singletonList(null)));
        assertMessage("terms[2]: term too long (201 chars, max 200)",
                () -> KeywordMatcher.compile(List.of("a", "b", "x".repeat(201))));
        assertMessage("terms[1]: term has no letter or digit", () -> KeywordMatcher.compile(List.of("a", "!!!")));
        assertMessage("terms[2]: duplicate of terms[0]",
                () -> KeywordMatcher.compile(List.of("Credit Card", "b", "credit   CARD")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= KeywordMatcher.MAX_TERMS; i++) {
            many.add("t" + i);
        }
        assertMessage("terms[5000]: too many terms (5001, max 5000)", () -> KeywordMatcher.compile(many));
        assertMessage("terms: at least one term is required", () -> KeywordMatcher.compile(List.of()));
        assertMessage("nearTerms[0]: empty term", () -> KeywordMatcher.compile("nearTerms", List.of("")));
    }

    @Test
    void flagsTruncatedInputAndCountsOnlyTheVisiblePart() {
        KeywordResult result = KeywordMatcher.compile(List.of("secret"))
                .match("secret " + "x".repeat(100) + " secret", Deadlines.generous(), 50);
        assertEquals(1, result.count());
        assertTrue(result.truncated());
        assertFalse(result.timedOut());
    }

    @Test
    void flagsAnExpiredDeadlineAsTimedOutNotAsNoMatch() {
        KeywordResult result = KeywordMatcher.compile(List.of("secret")).match("a secret", Deadlines.expired());
        assertTrue(result.timedOut());
        assertEquals(0, result.count());
        assertFalse(result.complete());
    }

    @Test
    void stopsMidwayWhenTheDeadlinePassesDuringTheScan() {
        String text = "secret ".repeat(50_000);
        KeywordResult result = KeywordMatcher.compile(List.of("secret"))
                .match(new SlowText(text, 70_000, 40), Deadlines.in(10));
        assertTrue(result.timedOut());
        assertTrue(result.count() > 0 && result.count() < 50_000, "partial count " + result.count());
    }

    @Test
    void hostilePhraseOnRepetitiveTextStaysBounded() {
        String phrase = "a ".repeat(99) + "b";
        KeywordResult result = KeywordMatcher.compile(List.of(phrase)).match("a ".repeat(1_000_000),
                Deadlines.in(500));
        // either finishes (no hit) or reports the timeout; never a silent partial "no match"
        assertEquals(0, result.count());
        assertTrue(result.truncated());
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
