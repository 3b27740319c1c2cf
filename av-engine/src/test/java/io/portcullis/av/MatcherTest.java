package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.names;
import static io.portcullis.av.TestSets.ndb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherTest {

    private static List<String> scan(SignatureSet set, String data) {
        return names(set.scan(bytes(data)));
    }

    @Test
    void fixedPatternReportsStartOffset() throws Exception {
        SignatureSet set = ndb("Fixed:0:*:" + TestSets.hex("needle"));
        List<Match> m = set.scan(bytes("hay needle hay"));
        assertEquals(1, m.size());
        assertEquals(4, m.get(0).offset());
        assertEquals("test.ndb", m.get(0).database());
        assertTrue(set.scan(bytes("hay needl hay")).isEmpty());
    }

    @Test
    void anyByteWildcard() throws Exception {
        SignatureSet set = ndb("W:0:*:4142??4445");
        assertEquals(List.of("W"), scan(set, "xxABzDExx"));
        assertEquals(List.of("W"), scan(set, "AB\u00ffDE"));
        assertTrue(scan(set, "ABzzDE").isEmpty());
    }

    @Test
    void nibbleWildcards() throws Exception {
        SignatureSet set = ndb("Hi:0:*:41424?", "Lo:0:*:5859?3");
        assertEquals(List.of("Hi"), scan(set, "AB@"));   // 0x40
        assertEquals(List.of("Hi"), scan(set, "ABO"));   // 0x4f
        assertTrue(scan(set, "ABP").isEmpty());           // 0x50
        assertEquals(List.of("Lo"), scan(set, "XYs"));   // 0x73
        assertEquals(List.of("Lo"), scan(set, "XY#"));   // 0x23
        assertTrue(scan(set, "XYt").isEmpty());
    }

    @Test
    void starMatchesAnyDistanceInOrder() throws Exception {
        SignatureSet set = ndb("Star:0:*:6869*7468657265");
        assertEquals(List.of("Star"), scan(set, "hithere"));
        assertEquals(List.of("Star"), scan(set, "hi" + "-".repeat(100_000) + "there"));
        assertTrue(scan(set, "there hi").isEmpty());
    }

    @Test
    void everyGapForm() throws Exception {
        SignatureSet set = ndb("Exact:0:*:4142{2}4344", "AtLeast:0:*:4546{3-}4748", "AtMost:0:*:494a{-2}4b4c",
            "Range:0:*:4d4e{1-3}4f50");
        assertEquals(List.of("Exact"), scan(set, "ABxxCD"));
        assertTrue(scan(set, "ABxCD").isEmpty());
        assertTrue(scan(set, "ABxxxCD").isEmpty());
        assertEquals(List.of("AtLeast"), scan(set, "EFxxxGH"));
        assertEquals(List.of("AtLeast"), scan(set, "EF" + "x".repeat(5000) + "GH"));
        assertTrue(scan(set, "EFxxGH").isEmpty());
        assertEquals(List.of("AtMost"), scan(set, "IJKL"));
        assertEquals(List.of("AtMost"), scan(set, "IJxxKL"));
        assertTrue(scan(set, "IJxxxKL").isEmpty());
        assertTrue(scan(set, "MNOP").isEmpty());
        assertEquals(List.of("Range"), scan(set, "MNxOP"));
        assertEquals(List.of("Range"), scan(set, "MNxxxOP"));
        assertTrue(scan(set, "MNxxxxOP").isEmpty());
    }

    @Test
    void gapBacktracksToALaterPlacement() throws Exception {
        // first placement of "CD" (gap 1) is followed by the wrong byte; the one at gap 3 is right
        SignatureSet set = ndb("Back:0:*:4142{1-4}43445a5a");
        assertEquals(List.of("Back"), scan(set, "ABxCDxCDZZ"));
    }

    @Test
    void alternatives() throws Exception {
        SignatureSet set = ndb("Alt1:0:*:4142(43|44|45)4647", "AltN:0:*:5859(3132|3334)5a5a");
        assertEquals(List.of("Alt1"), scan(set, "ABDFG"));
        assertEquals(List.of("Alt1"), scan(set, "ABEFG"));
        assertTrue(scan(set, "ABXFG").isEmpty());
        assertEquals(List.of("AltN"), scan(set, "XY34ZZ"));
        assertTrue(scan(set, "XY14ZZ").isEmpty());
    }

    @Test
    void overlappingAndNestedPatternsAllReported() throws Exception {
        SignatureSet set = ndb("Outer:0:*:" + TestSets.hex("abcdef"), "Inner:0:*:" + TestSets.hex("cde"),
            "Suffix:0:*:" + TestSets.hex("ef"), "Overlap:0:*:" + TestSets.hex("defgh"));
        assertEquals(List.of("Outer", "Inner", "Overlap", "Suffix"), scan(set, "abcdefgh"));
    }

    @Test
    void patternsAtStartAndEndOfBuffer() throws Exception {
        SignatureSet set = ndb("Start:0:0:" + TestSets.hex("head"), "End:0:EOF-4:" + TestSets.hex("tail"));
        assertEquals(List.of("Start", "End"), scan(set, "head middle tail"));
        assertTrue(scan(set, "xhead middle tailx").isEmpty());
        assertEquals(List.of("Start", "End"), scan(set, "headtail"));
    }

    @Test
    void absoluteOffsetWithShift() throws Exception {
        SignatureSet set = ndb("Shift:0:2,3:4142");
        assertEquals(List.of("Shift"), scan(set, "xxAB"));
        assertEquals(List.of("Shift"), scan(set, "xxxxxAB"));
        assertTrue(scan(set, "xxxxxxAB").isEmpty());
        assertTrue(scan(set, "xAB").isEmpty());
    }

    @Test
    void eachSignatureReportedOnceAtFirstMatch() throws Exception {
        SignatureSet set = ndb("Twice:0:*:4142");
        List<Match> m = set.scan(bytes("xABxAB"));
        assertEquals(1, m.size());
        assertEquals(1, m.get(0).offset());
    }

    @Test
    void everySplitPositionGivesTheSameResult() throws Exception {
        SignatureSet set = ndb("Fixed:0:*:" + TestSets.hex("fixedpattern"), "Gap:0:*:4142{2-6}4344",
            "Star:0:*:5152*5354", "Alt:0:*:6162(63|64)6566", "Wild:0:*:7778??7a7b", "Eof:0:EOF-3:" + TestSets.hex("end"),
            "At:0:1:" + TestSets.hex("ixedp"));
        String data = "fixedpattern..ABxxxCD..QR......ST..abdef..wx!z{..end";
        List<Match> whole = set.scan(bytes(data));
        assertEquals(7, whole.size(), whole.toString());
        byte[] b = bytes(data);
        for (int split = 0; split <= b.length; split++) {
            ScanSession s = set.newSession();
            s.update(b, 0, split);
            s.update(b, split, b.length - split);
            assertEquals(whole, s.finish(), "split at " + split);
        }
        for (int i = 0; i < b.length; i++) {
            ScanSession s = set.newSession();
            for (int k = 0; k < b.length; k++) s.update(b, k, 1);
            assertEquals(whole, s.finish(), "byte by byte");
        }
        assertEquals(whole, set.scan(new ByteArrayInputStream(b)));
    }

    @Test
    void overlapWindowStaysBounded() throws Exception {
        SignatureSet set = ndb("Gap:0:*:4142{0-100}4344");
        ScanSession s = set.newSession();
        byte[] chunk = new byte[4096];
        for (int i = 0; i < 1000; i++) s.update(chunk, 0, chunk.length);
        s.update(bytes("ABCD"), 0, 4);
        assertEquals(List.of("Gap"), names(s.finish()));
        assertTrue(set.stats().maxPatternSpan() <= 104);
    }

    @Test
    void pathologicalGapPatternDoesBoundedWork() throws Exception {
        SignatureSet set = ndb("Slow:0:*:4142{0-300}4343{0-300}4343{0-300}5a5a");
        byte[] data = bytes("AB" + "C".repeat(2000));
        long t = System.nanoTime();
        ScanSession s = set.newSession();
        s.update(data, 0, data.length);
        assertTrue(s.finish().isEmpty());
        assertTrue(System.nanoTime() - t < 2_000_000_000L, "verification must be bounded");
        assertEquals(1, s.abandonedVerifications(), "the abandoned verification is reported, not silently clean");
        assertEquals(List.of("Slow"), scan(set, "ABxCCxCCZZ"));
    }

    @Test
    void sessionRejectsMisuse() throws Exception {
        SignatureSet set = ndb("A:0:*:4142");
        ScanSession s = set.newSession();
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> s.update(new byte[4], 2, 3));
        s.finish();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> s.update(new byte[4], 0, 4));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, s::finish);
    }

    @Test
    void emptyInputAndEmptySet() throws Exception {
        assertTrue(ndb("A:0:*:4142").scan(new byte[0]).isEmpty());
        SignatureSet empty = SignatureSet.builder(LoadOptions.strictOptions()).build();
        assertTrue(empty.scan(bytes("anything")).isEmpty());
        assertEquals(0, empty.stats().automatonStates());
    }
}
