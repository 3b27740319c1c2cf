package io.portcullis.policy.engine.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedTextTest {

    @Test
    void cutsTextAboveTheLimitAndSaysSo() {
        BoundedText text = BoundedText.of("abcdefghij", 4, Deadlines.generous());
        assertEquals(4, text.length());
        assertTrue(text.truncated());
        assertEquals("abcd", text.toString());
    }

    @Test
    void keepsTextAtTheLimitWhole() {
        BoundedText text = BoundedText.of("abcd", 4, Deadlines.generous());
        assertEquals(4, text.length());
        assertFalse(text.truncated());
    }

    @Test
    void neverCutsInsideASurrogatePair() {
        BoundedText text = BoundedText.of("ab\uD83D\uDE00cd", 3, Deadlines.generous());
        assertEquals(2, text.length());
        assertTrue(text.truncated());
    }

    @Test
    void refusesAnAlreadyExpiredDeadline() {
        assertThrows(DeadlineExceededException.class, () -> BoundedText.of("abc", 10, Deadlines.expired()));
    }

    @Test
    void throwsFromCharAtWithinOneCheckIntervalAfterTheDeadline() {
        BoundedText text = BoundedText.of(new SlowText("x".repeat(100_000), 10, 30), 1_000_000, Deadlines.in(5));
        int reads = 0;
        boolean thrown = false;
        try {
            for (int i = 0; i < text.length(); i++) {
                text.charAt(i);
                reads++;
            }
        } catch (DeadlineExceededException e) {
            thrown = true;
        }
        assertTrue(thrown);
        assertTrue(reads < ContentLimits.DEADLINE_CHECK_INTERVAL + 10, "reads after the deadline: " + reads);
    }

    @Test
    void rejectsIndexesOutsideTheVisiblePart() {
        BoundedText text = BoundedText.of("abcdef", 3, Deadlines.generous());
        assertThrows(IndexOutOfBoundsException.class, () -> text.charAt(3));
    }
}
