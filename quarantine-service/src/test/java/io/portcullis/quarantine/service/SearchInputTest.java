package io.portcullis.quarantine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.quarantine.repository.SearchSql;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchInputTest {

    @Test
    void aCursorRoundTripsToTheMicrosecond() {
        Cursor c = Cursor.after(Instant.parse("2026-03-04T05:06:07.123456789Z"), "M1.q2");
        Cursor back = Cursor.decode(c.encode());
        assertEquals(Instant.parse("2026-03-04T05:06:07.123456Z"), back.quarantinedAt());
        assertEquals("M1.q2", back.itemId());
    }

    @Test
    void aForgedOrMangledCursorIsRefusedNamingTheField() {
        String unsafeId = Base64.getUrlEncoder().encodeToString("1:../../etc".getBytes(StandardCharsets.US_ASCII));
        String noNumber = Base64.getUrlEncoder().encodeToString("x:M1".getBytes(StandardCharsets.US_ASCII));
        for (String bad : List.of("", "!!!", unsafeId, noNumber, "A".repeat(400))) {
            QuarantineProblem p = assertThrows(QuarantineProblem.class, () -> Cursor.decode(bad), bad);
            assertEquals("cursor", p.field());
        }
    }

    @Test
    void freeTextIsTrimmedLimitedAndFreeOfControlCharacters() {
        assertNull(QuarantineQueries.query("   "));
        assertEquals("a \"b\" -c or d", QuarantineQueries.query("  a \"b\" -c or d "));
        assertEquals("tab\there", QuarantineQueries.query("tab\there"));
        for (String bad : List.of("x".repeat(QuarantineQueries.MAX_QUERY + 1), "nul\u0000", "bell\u0007",
                "del\u007f")) {
            assertEquals("q", assertThrows(QuarantineProblem.class, () -> QuarantineQueries.query(bad)).field());
        }
    }

    @Test
    void addressesAreCanonicalLowerCaseWithoutBrackets() {
        assertEquals("bob@example.com", Addresses.canonical(" <Bob@Example.COM> "));
        assertEquals(Set.of("bob@example.com"), Addresses.canonicalSet("recipients",
                List.of("BOB@example.com", "bob@example.com")));
        assertEquals("recipients", assertThrows(QuarantineProblem.class,
                () -> Addresses.canonicalSet("recipients", List.of(" "))).field());
    }

    @Test
    void everyValueIsABoundParameterNeverSqlText() {
        String hostile = "'); DROP TABLE quarantine.quarantined_message; --";
        SearchFilter f = SearchFilter.page(10).withQuery(hostile).withSender(hostile).withAreas(List.of("spam"))
                .withOwners(Set.of("a@example.com", "b@example.com"));
        String text = SearchSql.of("quarantine", f).pageText();
        assertFalse(text.contains("DROP"), text);
        assertTrue(text.contains("websearch_to_tsquery('simple', ?)"));
        assertTrue(text.contains("UNION ALL"), "owners drive the query from the owner index");
    }
}
