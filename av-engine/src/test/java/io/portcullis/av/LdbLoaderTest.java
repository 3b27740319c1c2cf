package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.hex;
import static io.portcullis.av.TestSets.load;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LdbLoaderTest {
    private static final String A = hex("alpha");
    private static final String B = hex("bravo");
    private static final String C = hex("charlie");

    private static SignatureSet ldb(String expr) throws Exception {
        return load("t.ldb", "Win.Trojan.Logic-1;Engine:51-255,Target:0;" + expr + ";" + A + ";" + B + ";" + C);
    }

    private static boolean fires(String expr, String data) throws Exception {
        return names(ldb(expr).scan(bytes(data))).equals(List.of("Win.Trojan.Logic-1"));
    }

    @Test
    void andOrAndParentheses() throws Exception {
        assertTrue(fires("0&1", "alpha..bravo"));
        assertTrue(!fires("0&1", "alpha..charlie"));
        assertTrue(fires("0|1", "bravo"));
        assertTrue(fires("(0|1)&2", "bravo charlie"));
        assertTrue(!fires("(0|1)&2", "charlie"));
        assertTrue(fires("0&1|2", "charlie"));       // & binds tighter than |
        assertTrue(!fires("0&(1|2)", "charlie"));
    }

    @Test
    void countsEqualGreaterLess() throws Exception {
        assertTrue(fires("0=2", "alpha alpha"));
        assertTrue(!fires("0=2", "alpha alpha alpha"));
        assertTrue(fires("0>2", "alpha alpha alpha"));
        assertTrue(!fires("0>2", "alpha alpha"));
        assertTrue(fires("0<2&1", "alpha bravo"));
        assertTrue(fires("0=0&1", "bravo"));
        assertTrue(fires("(0|1|2)>2,2", "alpha alpha bravo"));
        assertTrue(!fires("(0|1|2)>2,2", "alpha alpha alpha"));
    }

    @Test
    void reportsFirstSubsignatureOffsetAndCategory() throws Exception {
        List<Match> m = ldb("0&1").scan(bytes("xxbravo alpha"));
        assertEquals(List.of(new Match("Win.Trojan.Logic-1", ThreatCategory.TROJAN, "t.ldb", 2)), m);
    }

    @Test
    void subsignatureWithOffsetAndWildcards() throws Exception {
        SignatureSet set = load("t.ldb", "Doc.Sub-1;Target:0;0&1;0:4142??44;EOF-2:4546");
        assertEquals(List.of("Doc.Sub-1"), names(set.scan(bytes("ABxD....EF"))));
        assertTrue(set.scan(bytes("xABxD....EF")).isEmpty());
        assertTrue(set.scan(bytes("ABxD....EFx")).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '@', value = {
        "few fields@X;Target:0;0@found 3 field(s)",
        "no target@X;Engine:51-255;0;41424344@needs Target",
        "bad tdb@X;Target0;0;41424344@bad target description block",
        "unbalanced@X;Target:0;(0&1;41424344;45464748@unbalanced parentheses",
        "bad operator@X;Target:0;0^1;41424344;45464748@unexpected '^'",
        "index out of range@X;Target:0;0&2;41424344;45464748@uses subsignature 2 but only 2",
        "missing count@X;Target:0;0>;41424344@count expected",
        "bad subsig hex@X;Target:0;0;4142zz@subsignature 0: bad hex character",
        "short anchor@X;Target:0;0|1;41424344;41??42@subsignature 1: longest fixed fragment",
        "modifiers@X;Target:0;0;41424344::i@modifiers",
        "empty name@;Target:0;0;41424344@empty signature name",
    })
    void rejectsMalformedLineNamingFileAndLine(String what, String line, String expected) {
        SignatureLoadException e = assertThrows(SignatureLoadException.class, () -> load("t.ldb", "", line));
        assertEquals(2, e.line(), what);
        assertTrue(e.getMessage().startsWith("t.ldb:2: ") && e.getMessage().contains(expected), what + " -> " + e.getMessage());
    }
}
