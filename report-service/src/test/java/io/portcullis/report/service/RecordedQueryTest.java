package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecordedQueryTest {

    @Test
    void limitDefaultsTo1000AndAcceptsOneTo10000() {
        assertEquals(1000, RecordedQuery.parse(null, null).limit());
        assertEquals(1000, RecordedQuery.parse(null, "").limit());
        assertEquals(1, RecordedQuery.parse(null, "1").limit());
        assertEquals(10_000, RecordedQuery.parse(null, "10000").limit());
    }

    @Test
    void rejectsLimitsOutsideTheRangeOrNotWholeNumbers() {
        for (String bad : new String[] {"0", "-5", "10001", "1e3", "12abc", " 10", "2147483648"}) {
            InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> RecordedQuery.parse(null, bad));
            assertEquals("limit", e.field(), bad);
        }
    }

    @Test
    void tenantIsOptionalAndBounded() {
        assertNull(RecordedQuery.parse("", "5").tenant());
        assertEquals("acme", RecordedQuery.parse("acme", "5").tenant());
        assertEquals("tenant", assertThrows(InvalidQueryException.class,
                () -> RecordedQuery.parse("x".repeat(65), "5")).field());
        assertEquals("tenant", assertThrows(InvalidQueryException.class,
                () -> RecordedQuery.parse("a\nb", "5")).field());
    }
}
