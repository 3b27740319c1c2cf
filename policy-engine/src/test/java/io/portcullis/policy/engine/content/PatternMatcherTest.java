package io.portcullis.policy.engine.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PatternMatcherTest {

    @Test
    void countsMatches() {
        PatternResult result = PatternMatcher.compile("PRJ-[0-9]{4}").match("PRJ-1234, PRJ-99, PRJ-0001",
                Deadlines.generous());
        assertEquals(2, result.count());
        assertFalse(result.capped());
        assertTrue(result.complete());
    }

    @Test
    void honoursCaseInsensitiveFlagAndInlineFlags() {
        assertEquals(2, PatternMatcher.compile("pattern", "secret", true).match("Secret SECRET",
                Deadlines.generous()).count());
        assertEquals(2, PatternMatcher.compile("(?i)secret").match("Secret SECRET", Deadlines.generous()).count());
        assertEquals(0, PatternMatcher.compile("secret").match("Secret SECRET", Deadlines.generous()).count());
    }

    @Test
    void stopsCountingAtTheCap() {
        PatternResult result = PatternMatcher.compile("x").match("x".repeat(100), Deadlines.generous(), 1000, 10);
        assertEquals(10, result.count());
        assertTrue(result.capped());
    }

    @Test
    void doesNotCountEmptyMatches() {
        assertEquals(2, PatternMatcher.compile("a*").match("baab a", Deadlines.generous()).count());
    }

    @Test
    void badPatternErrorNamesTheFieldAndCarriesTheRe2Message() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatternMatcher.compile("rules[2].pattern", "(unclosed", false));
        assertTrue(e.getMessage().startsWith("rules[2].pattern: invalid regular expression: "), e.getMessage());
        assertTrue(e.getMessage().contains("missing closing )"), e.getMessage());
    }

    @Test
    void rejectsPerlFeaturesRe2DoesNotSupport() {
        IllegalArgumentException backreference = assertThrows(IllegalArgumentException.class,
                () -> PatternMatcher.compile("(a)\\1"));
        assertTrue(backreference.getMessage().startsWith("pattern: invalid regular expression: "));
        IllegalArgumentException lookahead = assertThrows(IllegalArgumentException.class,
                () -> PatternMatcher.compile("foo(?=bar)"));
        assertTrue(lookahead.getMessage().startsWith("pattern: invalid regular expression: "));
    }

    @Test
    void rejectsEmptyTooLongAndTooComplexPatterns() {
        KeywordMatcherTest.assertMessage("pattern: empty pattern", () -> PatternMatcher.compile(""));
        KeywordMatcherTest.assertMessage("pattern: pattern too long (2001 chars, max 2000)",
                () -> PatternMatcher.compile("a".repeat(2001)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatternMatcher.compile("[a-z]{1000}[0-9]{1000}[A-Z]{1000}(x{1000}){1,9}"));
        assertTrue(e.getMessage().startsWith("pattern: "), e.getMessage());
    }

    @Test
    void catastrophicBacktrackingPatternRunsInLinearTime() {
        // (a+)+$ takes exponential time in a backtracking engine on "aaa...ab"; RE2 needs one pass
        PatternResult result = PatternMatcher.compile("(a+)+$").match("a".repeat(200_000) + "b",
                Deadlines.generous());
        assertEquals(0, result.count());
        assertTrue(result.complete());
    }

    @Test
    void flagsTruncatedInput() {
        PatternResult result = PatternMatcher.compile("secret").match("x".repeat(200) + "secret",
                Deadlines.generous(), 100, 10);
        assertEquals(0, result.count());
        assertTrue(result.truncated());
    }

    @Test
    void flagsTimeoutMidScanInsteadOfNoMatch() {
        PatternResult result = PatternMatcher.compile("([a-z]+[0-9]+)+Z").match(
                new SlowText("ab12".repeat(100_000), 50_000, 40), Deadlines.in(10));
        assertTrue(result.timedOut());
        assertFalse(result.complete());
    }

    @Test
    void flagsAnExpiredDeadline() {
        assertTrue(PatternMatcher.compile("x").match("x", Deadlines.expired()).timedOut());
    }
}
