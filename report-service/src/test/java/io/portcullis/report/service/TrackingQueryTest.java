package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrackingQueryTest {

    private static TrackingQuery parse(String id, String sender, String rcpt, String from, String to, String limit) {
        return TrackingQuery.parse(id, sender, rcpt, from, to, limit, 100, 1000);
    }

    private static String fieldOf(Runnable r) {
        return assertThrows(InvalidQueryException.class, r::run).field();
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        TrackingQuery q = parse(null, null, null, null, null, null);
        assertEquals(100, q.limit());
        assertNull(q.from());
        assertNull(q.sender());
    }

    @Test
    void lowerCasesAddressesAndParsesInstants() {
        TrackingQuery q = parse("Q1", "Alice@Example.ORG", "Bob@Example.com", "2026-01-01T00:00:00Z",
                "2026-01-02T00:00:00Z", "5");
        assertEquals("Q1", q.messageId());
        assertEquals("alice@example.org", q.sender());
        assertEquals("bob@example.com", q.recipient());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), q.from());
        assertEquals(5, q.limit());
    }

    @Test
    void rejectsMalformedInstantsNamingTheParameter() {
        assertEquals("from", fieldOf(() -> parse(null, null, null, "yesterday", null, null)));
        assertEquals("to", fieldOf(() -> parse(null, null, null, null, "2026-13-01T00:00:00Z", null)));
        assertEquals("from", fieldOf(() -> parse(null, null, null, "2026-01-01", null, null)));
        assertEquals("from", fieldOf(() -> parse(null, null, null, "9".repeat(10_000), null, null)));
    }

    @Test
    void rejectsAnEmptyOrInvertedRange() {
        assertEquals("to", fieldOf(() -> parse(null, null, null, "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z",
                null)));
        assertEquals("to", fieldOf(() -> parse(null, null, null, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
                null)));
    }

    @Test
    void rejectsLimitsOutsideOneToMax() {
        assertEquals("limit", fieldOf(() -> parse(null, null, null, null, null, "0")));
        assertEquals("limit", fieldOf(() -> parse(null, null, null, null, null, "1001")));
        assertEquals("limit", fieldOf(() -> parse(null, null, null, null, null, "ten")));
        assertEquals("limit", fieldOf(() -> parse(null, null, null, null, null, "99999999999999")));
        assertEquals(1000, parse(null, null, null, null, null, "1000").limit());
    }

    @Test
    void rejectsOverlongOrControlCharacterFilters() {
        assertEquals("sender", fieldOf(() -> parse(null, "a".repeat(10_000), null, null, null, null)));
        assertEquals("recipient", fieldOf(() -> parse(null, null, "a@b\r\nc", null, null, null)));
        assertEquals("messageId", fieldOf(() -> parse("q\u00001", null, null, null, null, null)));
    }

    @Test
    void keepsSqlIshFiltersAsPlainValues() {
        assertEquals("x' or '1'='1", parse(null, "x' OR '1'='1", null, null, null, null).sender());
    }
}
