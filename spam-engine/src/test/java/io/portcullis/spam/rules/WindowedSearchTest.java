package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Searching only around a rule's prefilter literals ({@link RuleSet#windowedFind}) gives exactly the answer of a
 * search of the whole text, and the width analysis behind it ({@link RegexWidth}) never underestimates.
 */
class WindowedSearchTest {
    private static final long NONE = Long.MIN_VALUE;

    @Test
    void widthOfBoundedPatterns() {
        assertEquals(3, RegexWidth.maxCodePoints("abc"));
        assertEquals(7, RegexWidth.maxCodePoints("\\b(?:act now|order)\\b"));
        assertEquals(6, RegexWidth.maxCodePoints("colou?r"));
        assertEquals(5, RegexWidth.maxCodePoints("(?i)a[0-9]{2,4}"));
        assertEquals(3, RegexWidth.maxCodePoints("^\\d\\p{L}\\x{41}$"));
        assertEquals(4, RegexWidth.maxCodePoints("(?P<n>ab)(?:c|d)?x{0}y"));
        assertEquals(2, RegexWidth.maxCodePoints("a{"));
        assertEquals(3, RegexWidth.maxCodePoints("[]a][^]b][[:alpha:]]"));
        assertEquals(15_000, RegexWidth.maxCodePoints("x{5000}y{5000}z{5000}"));
    }

    @Test
    void unboundedOrUnknownPatternsHaveNoWidth() {
        for (String p : List.of("a*", "a+b", "a{2,}", "(?:ab)+?", "\\Qab\\E", "\\0123", "\\1", "(?=a)", "a**",
                "(ab", "ab)", "[ab", "\\", "a{99999}", "(?:a{1000}){1000}")) {
            assertEquals(RegexWidth.UNBOUNDED, RegexWidth.maxCodePoints(p), p);
        }
    }

    @Test
    void deeplyNestedAndLongPatternsAreHandled() {
        assertEquals(1, RegexWidth.maxCodePoints("(?:".repeat(500) + "a" + ")".repeat(500)));
        assertEquals(RegexWidth.UNBOUNDED, RegexWidth.maxCodePoints("(?:".repeat(500) + "a"));
        assertEquals(2000, RegexWidth.maxCodePoints("x".repeat(2000)));
        assertEquals(RegexWidth.UNBOUNDED, RegexWidth.maxCodePoints("(?:x{1000}){101}"));
    }

    @Test
    void widthNeverUnderestimatesARealMatch() {
        Random rnd = new Random(11);
        for (int t = 0; t < 3000; t++) {
            String p = randomPattern(rnd);
            int w = RegexWidth.maxCodePoints(p);
            if (w == RegexWidth.UNBOUNDED) {
                continue;
            }
            com.google.re2j.Matcher m = com.google.re2j.Pattern.compile(p).matcher(randomText(rnd, 300));
            while (m.find()) {
                assertTrue(m.end() - m.start() <= w, p + " matched " + m.group());
                if (m.end() == m.start()) {
                    break;
                }
            }
        }
    }

    @Test
    void anchorsAreOneAsciiLiteralPerAlternative() {
        assertArrayEquals(new String[] {"money", "back"},
                RuleSet.anchors(List.of(List.of("money", "x"), List.of("ab", "back"))));
        assertNull(RuleSet.anchors(null));
        assertNull(RuleSet.anchors(List.of(List.of("€"))));
    }

    @Test
    void boundaryAssertionsAtWindowEdgesSeeTheWholeText() {
        com.google.re2j.Pattern p = com.google.re2j.Pattern.compile("(?i)\\bfoo\\b");
        String pad = "z".repeat(50);
        // the window of "foo" starts right after a word character, and ends right before one
        for (String text : List.of(pad + "xfoo " + pad, pad + " foox" + pad, pad + " foo " + pad, pad + "xfoox" + pad)) {
            int got = RuleSet.windowedFind(p, text, text.toLowerCase(Locale.ROOT), new String[] {"foo"}, 3, NONE);
            assertEquals(p.matcher(text).find() ? 1 : 0, got, text);
        }
        com.google.re2j.Pattern m = com.google.re2j.Pattern.compile("(?m)^dear\\b");
        String text = pad + "x dear " + pad;
        assertEquals(0, RuleSet.windowedFind(m, text, text.toLowerCase(Locale.ROOT), new String[] {"dear"}, 4, NONE));
    }

    @Test
    void windowedSearchEqualsWholeSearchOnRandomPatternsAndTexts() {
        Random rnd = new Random(42);
        int windowed = 0;
        for (int t = 0; t < 20_000; t++) {
            String p = randomPattern(rnd);
            String flags = rnd.nextBoolean() ? "(?i)" : "";
            List<List<String>> dnf = RegexPrefilter.of(flags + p);
            String[] anchors = RuleSet.anchors(dnf);
            int w = RegexWidth.maxCodePoints(flags + p);
            if (anchors == null || w <= 0) {
                continue;
            }
            com.google.re2j.Pattern re = com.google.re2j.Pattern.compile(flags + p);
            String text = randomText(rnd, 50 + rnd.nextInt(2000));
            String lower = text.toLowerCase(Locale.ROOT);
            int got = RuleSet.windowedFind(re, text, lower, anchors, w, NONE);
            boolean whole = re.matcher(text).find();
            if (got != -1) {
                windowed++;
                assertEquals(whole ? 1 : 0, got, "pattern " + flags + p + " on " + text);
            }
        }
        assertTrue(windowed > 2000, "windowed searches: " + windowed);
    }

    @Test
    void nonLatin1TextManyOccurrencesAndWideWindowsFallBackToTheWholeSearch() {
        com.google.re2j.Pattern p = com.google.re2j.Pattern.compile("(?i)\\bab\\b");
        String[] a = {"ab"};
        String greek = "x".repeat(400) + "\u03a9 ab";
        assertEquals(-1, RuleSet.windowedFind(p, greek, greek.toLowerCase(Locale.ROOT), a, 2, NONE));
        String many = "ab ".repeat(RuleSet.MAX_WINDOWS + 1) + "x".repeat(10_000);
        assertEquals(-1, RuleSet.windowedFind(p, many, many, a, 2, NONE));
        String wide = "y".repeat(100) + "ab" + "y".repeat(100);
        assertEquals(-1, RuleSet.windowedFind(p, wide, wide, a, 150, NONE));
        String dotted = "İ".repeat(300) + "ab"; // lower-case form is longer than the text
        assertEquals(-1, RuleSet.windowedFind(p, dotted, dotted.toLowerCase(Locale.ROOT), a, 2, NONE));
    }

    @Test
    void oversizedTextIsSearchedOnlyNearTheLiteralsAndKeepsTheDeadline() {
        String text = "q".repeat(3_000_000) + " click here " + "q".repeat(3_000_000);
        com.google.re2j.Pattern p = com.google.re2j.Pattern.compile("(?i)\\bclick (?:here|below)\\b");
        String[] a = RuleSet.anchors(RegexPrefilter.of(p.pattern()));
        int w = RegexWidth.maxCodePoints(p.pattern());
        assertEquals(1, RuleSet.windowedFind(p, text, text, a, w, System.nanoTime() + 5_000_000_000L));
        String near = "q".repeat(3_000_000) + " click " + "q".repeat(3_000_000);
        assertEquals(0, RuleSet.windowedFind(p, near, near, a, w, NONE));
        String late = "click ".repeat(40) + "z".repeat(100_000);
        assertThrows(RuleTimeoutException.class,
                () -> RuleSet.windowedFind(p, late, late, a, 5_000, System.nanoTime() - 1));
    }

    @Test
    void bodyRuleFindsAPhraseDeepInALongBodyAndNotAcrossWords() throws Exception {
        RuleSet s = RuleSetTest.set("body PHRASE /\\b(?:act now|order now)\\b/i\nscore PHRASE 1\n");
        String filler = "lorem ipsum dolor sit amet ".repeat(400);
        String head = "From: a@b.test\nSubject: hi\nContent-Type: text/plain\n\n";
        assertEquals(List.of("PHRASE"), RuleSetTest.hits(s, head + filler + "please ACT NOW.\n" + filler));
        assertEquals(List.of(), RuleSetTest.hits(s, head + filler + "please react nowhere\n" + filler));
        assertEquals(List.of(), RuleSetTest.hits(s, head + filler + "please xact now\n" + filler));
        byte[] bytes = (head + filler + "order nowx act now\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(1, s.evaluate(bytes, System.nanoTime() + 5_000_000_000L).hits().size());
    }

    private static final String[] WORDS = {"ab", "foo", "act now", "k", "s", "x1", "é", "$", ".", "Z"};

    /** Small random RE2 patterns over a few literals: groups, alternation, classes, assertions, repetition. */
    static String randomPattern(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + rnd.nextInt(4);
        for (int i = 0; i < parts; i++) {
            switch (rnd.nextInt(10)) {
                case 0 -> sb.append("\\b");
                case 1 -> sb.append("(?:").append(quote(word(rnd))).append('|').append(quote(word(rnd))).append(')');
                case 2 -> sb.append("[a-z]").append(rnd.nextBoolean() ? "{0,3}" : "?");
                case 3 -> sb.append("\\s?");
                case 4 -> sb.append(rnd.nextBoolean() ? "^" : "$");
                case 5 -> sb.append("\\d{1,2}");
                case 6 -> sb.append(rnd.nextBoolean() ? "." : "\\W");
                case 7 -> sb.append("(?:").append(quote(word(rnd))).append(")?");
                case 8 -> sb.append(rnd.nextBoolean() ? "[^a-z\\n]{0,2}" : "\\w+");
                default -> sb.append(quote(word(rnd)));
            }
        }
        if (rnd.nextInt(4) == 0) {
            sb.insert(0, "(?m)");
        }
        return sb.toString();
    }

    private static String word(Random rnd) {
        return WORDS[rnd.nextInt(WORDS.length)];
    }

    private static String quote(String w) {
        return w.replace("$", "\\$").replace(".", "\\.");
    }

    /** Random ISO-8859-1 text rich in the literals, word characters, spaces, newlines and case variants. */
    static String randomText(Random rnd, int len) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            switch (rnd.nextInt(8)) {
                case 0 -> sb.append(word(rnd));
                case 1 -> sb.append(word(rnd).toUpperCase(Locale.ROOT));
                case 2 -> sb.append(' ');
                case 3 -> sb.append('\n');
                case 4 -> sb.append((char) ('0' + rnd.nextInt(10)));
                case 5 -> sb.append("ÉÀ_-$.".charAt(rnd.nextInt(6)));
                default -> sb.append((char) ('a' + rnd.nextInt(26)));
            }
        }
        return sb.toString();
    }
}
