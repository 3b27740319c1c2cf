package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signatures outside the declared functionality level are skipped and counted, never loaded half-understood. */
class FunctionalityLevelTest {
    private static SignatureSet load(int level, String name, String... lines) throws SignatureLoadException {
        return SignatureSet.builder(LoadOptions.strictOptions().withFunctionalityLevel(level))
            .load(name, bytes(String.join("\n", lines))).build();
    }

    @Test
    void ndbMinimumAndMaximumLevels() throws Exception {
        SignatureSet set = load(100, "l.ndb",
            "Old.Only:0:*:4141414141:10:50",     // for engines up to 50: skipped
            "Needs.Newer:0:*:4242424242:200",    // needs 200: skipped
            "In.Range:0:*:4343434343:51:255",
            "No.Level:0:*:4444444444",
            "Min.Only:0:*:4545454545:100");
        assertEquals(2, set.loadReport().skippedByFunctionalityLevel());
        assertEquals(Map.of("ndb", 3), set.loadReport().signaturesByFormat());
        assertEquals(List.of("In.Range", "No.Level", "Min.Only"), names(set.scan(bytes("AAAAA BBBBB CCCCC DDDDD EEEEE"))));
    }

    @Test
    void hashAndLogicalLevels() throws Exception {
        String md5 = digest("MD5", bytes("abc"));
        SignatureSet hdb = load(60, "h.hdb", md5 + ":3:Newer:73", md5 + ":3:Fine:51");
        assertEquals(1, hdb.loadReport().skippedByFunctionalityLevel());
        assertEquals(List.of("Fine"), names(hdb.scan(bytes("abc"))));
        SignatureSet ldb = load(60, "l.ldb", "New;Engine:81-255,Target:0;0;41424344", "Ok;Engine:51-255,Target:0;0;45464748",
            "Old;Engine:20-50,Target:0;0;494a4b4c");
        assertEquals(2, ldb.loadReport().skippedByFunctionalityLevel());
        assertEquals(List.of("Ok"), names(ldb.scan(bytes("ABCD EFGH IJKL"))));
    }

    @Test
    void badLevelsAreErrorsWithFileAndLine() {
        SignatureLoadException e = assertThrows(SignatureLoadException.class, () -> load(100, "x.ndb", "A:0:*:41424344:abc"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().startsWith("x.ndb:1:"), e.getMessage());
        assertThrows(SignatureLoadException.class, () -> load(100, "x.hdb", digest("MD5", bytes("a")) + ":1:N:-3"));
        assertThrows(SignatureLoadException.class, () -> load(100, "x.ldb", "N;Engine:x-255,Target:0;0;41424344"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.strictOptions().withFunctionalityLevel(-1));
    }

    @Test
    void defaultLevelKeepsOrdinarySignatures() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions()).load("d.ndb", bytes("A:0:*:41424344:51\nB:0:*:45464748:73:255")).build();
        assertEquals(0, set.loadReport().skippedByFunctionalityLevel());
        assertEquals(LoadOptions.DEFAULT_FLEVEL, LoadOptions.strictOptions().functionalityLevel());
    }
}
