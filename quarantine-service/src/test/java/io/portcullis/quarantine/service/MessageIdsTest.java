package io.portcullis.quarantine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void acceptsQueueIdsUuidsAndUlids() {
        assertTrue(MessageIds.isValid("01J9Z3K5M8QW7N2B4C6D8E0F1G"));
        assertTrue(MessageIds.isValid("3f16a05a-1b2c-4d5e-8f90-123456789abc"));
        assertTrue(MessageIds.isValid("edge-1.0001_a"));
    }

    @Test
    void rejectsPathTraversalSeparatorsControlCharactersAndOversizedIds() {
        assertFalse(MessageIds.isValid(null));
        assertFalse(MessageIds.isValid(""));
        assertFalse(MessageIds.isValid("../x"));
        assertFalse(MessageIds.isValid("a..b"));
        assertFalse(MessageIds.isValid("a/b"));
        assertFalse(MessageIds.isValid("a b"));
        assertFalse(MessageIds.isValid("a\r\nb"));
        assertFalse(MessageIds.isValid(".hidden"));
        assertFalse(MessageIds.isValid("-dash"));
        assertFalse(MessageIds.isValid("é"));
        assertFalse(MessageIds.isValid("a".repeat(129)));
        assertTrue(MessageIds.isValid("a".repeat(128)));
    }

    @Test
    void keyUsesTheUtcDayOfReceipt() {
        assertEquals("2026/01/02/m.eml", ObjectKeys.quarantineKey(Instant.parse("2026-01-02T23:30:00Z"), "m"));
    }
}
