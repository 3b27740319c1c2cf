package io.portcullis.policy.engine.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

class RegexSizeTest {

    @Test
    void countsAtomsAndMultipliesCountedRepetitions() {
        assertEquals(3, RegexSize.estimate("abc"));
        assertEquals(2000, RegexSize.estimate("[a-z]{1000}[0-9]{1000}"));
        assertEquals(1_000_000, RegexSize.estimate("(a{1,1000}){1000}"));
        assertEquals(3, RegexSize.estimate("\\p{Greek}\\x{41}[]a-]"));
        assertEquals(6, RegexSize.estimate("\\Q{1000}\\E"));
        assertEquals(4, RegexSize.estimate("a{x}"));
    }

    @Test
    void estimateIsCloseToRe2ProgramSizeForOrdinaryPatterns() {
        for (String pattern : new String[] {"PRJ-[0-9]{4}", "\\b\\d{3}-\\d{2}-\\d{4}\\b", "(foo|bar){2,5}baz",
                "[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}"}) {
            long estimate = RegexSize.estimate(pattern);
            int actual = Pattern.compile(pattern).programSize();
            assertTrue(estimate <= actual * 2L && actual <= estimate * 4L + 10,
                    pattern + ": estimate " + estimate + ", program " + actual);
        }
    }

    @Test
    void nestedRepetitionThatWouldExhaustTheHeapIsRefusedBeforeCompiling() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatternMatcher.compile("((a{1,1000}){1,1000}){1,1000}"));
        assertTrue(e.getMessage().startsWith("pattern: pattern too complex"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PatternMatcher.compile("((((((((((a{999999999}){9}){9}){9}){9}){9}){9}){9}){9}){9})"));
    }
}
