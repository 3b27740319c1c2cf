package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The literal prefilter never rejects a text the pattern matches (it only skips hopeless searches). */
class RegexPrefilterTest {

    @Test
    void extractsRequiredLiteralsPerAlternative() {
        assertEquals(List.of(List.of("act now"), List.of("order now")), RegexPrefilter.of("\\b(?:act now|order now)\\b"));
        assertEquals(List.of(List.of("colo", "r")), RegexPrefilter.of("colou?r"));
        assertEquals(List.of(List.of("money", "back")), RegexPrefilter.of("(?i)money[- ]back"));
        assertEquals(List.of(List.of("ab", "c")), RegexPrefilter.of("ab+c"));
        assertEquals(List.of(List.of("$")), RegexPrefilter.of("\\${3,}"));
    }

    @Test
    void patternsThatMayMatchWithoutLiteralsGetNone() {
        assertNull(RegexPrefilter.of("[A-Z]{5,}"));
        assertNull(RegexPrefilter.of("foo|\\d+"));
        assertNull(RegexPrefilter.of("(?:abc)?"));
        assertNull(RegexPrefilter.of("x*"));
        assertNull(RegexPrefilter.of("\\Qa.b\\E"));
        assertNull(RegexPrefilter.of("a{"));
    }

    @Test
    void escapesThatAreNotLiteralsContributeNothing() {
        assertEquals(List.of(List.of("b")), RegexPrefilter.of("\\x41b"));
        assertEquals(List.of(List.of("b")), RegexPrefilter.of("\\x{41}b"));
        assertEquals(List.of(List.of("z")), RegexPrefilter.of("\\p{L}+z"));
        assertEquals(List.of(List.of("a.b")), RegexPrefilter.of("a\\.b"));
    }

    @Test
    void neverRejectsATextThePatternMatches() {
        String[] patterns = {"ab+c", "a(?:bc|de)?f", "(?i)hello world", "x(?:y|z)+w", "(?:a|b)(?:c|d)", "a.c",
            "colou?r", "\\bno (?:cost|fee)s?\\b", "(?i)(?:ab|cd){2}e", "a[bc]d|e{2}f", "(a|b)c\\.d", "\\d+x\\s*y",
            "(?i)K", "ab??c", "a{0,2}bc", "(?:a(?:b|c)d|e)f", "^ab$", "(?m)^a$"};
        Random rnd = new Random(42);
        String alphabet = "abcdefxyzwABCK .\n1";
        for (String p : patterns) {
            com.google.re2j.Pattern re = com.google.re2j.Pattern.compile(p);
            List<List<String>> dnf = RegexPrefilter.of(p);
            for (int n = 0; n < 20_000; n++) {
                StringBuilder sb = new StringBuilder();
                int len = 1 + rnd.nextInt(12);
                for (int k = 0; k < len; k++) {
                    sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                String text = sb.toString();
                if (re.matcher(text).find()) {
                    assertTrue(dnf == null || RegexPrefilter.mayMatch(dnf, text.toLowerCase(Locale.ROOT)),
                            p + " matches '" + text + "' but the prefilter " + dnf + " rejects it");
                }
            }
        }
    }

    @Test
    void rejectsTextWithoutTheLiterals() {
        List<List<String>> dnf = RegexPrefilter.of("(?i)\\b(?:viagra|cialis)\\b");
        assertFalse(RegexPrefilter.mayMatch(dnf, "an ordinary message"));
        assertTrue(RegexPrefilter.mayMatch(dnf, "cheap viagra"));
    }
}
