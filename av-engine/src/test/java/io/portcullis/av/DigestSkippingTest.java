package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole-file digests are skipped when no hash entry can match the object's size; that must never lose a match. */
class DigestSkippingTest {

    private static List<String> streamed(SignatureSet set, byte[] data, int chunk) {
        ScanSession s = set.newSession();
        for (int p = 0; p < data.length; p += chunk) s.update(data, p, Math.min(chunk, data.length - p));
        return names(s.finish());
    }

    private static List<String> declared(SignatureSet set, byte[] data, int chunk) {
        ScanSession s = set.newSession(data.length);
        for (int p = 0; p < data.length; p += chunk) s.update(data, p, Math.min(chunk, data.length - p));
        return names(s.finish());
    }

    @Test
    void sizeWildcardEntriesAreFoundAtEverySizeInEveryScanMode() throws Exception {
        byte[] a = bytes("first object");
        byte[] b = new byte[300_000];
        new Random(1).nextBytes(b);
        SignatureSet set = TestSets.load("w.hsb",
            digest("SHA-256", a) + ":*:Any.Size.A:73",
            digest("SHA-256", b) + ":*:Any.Size.B:73",
            digest("SHA-1", b) + ":*:Any.Size.B1:73",
            // an exact-size entry of another size keeps a finite maximum next to the wildcards
            "0000000000000000000000000000000000000000000000000000000000000000:5:Other");
        for (byte[] d : List.of(a, b)) {
            List<String> whole = names(set.scan(d));
            assertEquals(d == a ? List.of("Any.Size.A") : List.of("Any.Size.B", "Any.Size.B1"), whole.stream().sorted().toList());
            assertEquals(whole, streamed(set, d, 7));
            assertEquals(whole, streamed(set, d, 65536));
            assertEquals(whole, declared(set, d, 1000));
            assertEquals(whole, names(set.scan(new ByteArrayInputStream(d))));
        }
    }

    @Test
    void exactSizeEntriesAreFoundWhateverTheOtherSizes() throws Exception {
        byte[] d = new byte[100_000];
        new Random(2).nextBytes(d);
        StringBuilder db = new StringBuilder();
        // many entries of other sizes, smaller and larger, plus the real one
        for (int i = 0; i < 500; i++) db.append(String.format("%032x", i)).append(':').append(i * 997 + 1).append(":Noise-").append(i).append('\n');
        db.append(digest("MD5", d)).append(':').append(d.length).append(":Exact.Md5\n");
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions()).load("e.hdb", bytes(db.toString())).build();
        assertEquals(List.of("Exact.Md5"), names(set.scan(d)));
        for (int chunk : new int[] {1, 13, 4096, 99_999, 100_000}) {
            assertEquals(List.of("Exact.Md5"), streamed(set, d, chunk), "chunk " + chunk);
            assertEquals(List.of("Exact.Md5"), declared(set, d, chunk), "declared, chunk " + chunk);
        }
        // one byte more or less: the size does not match any more, nothing found (and no digest needed)
        assertTrue(set.scan(java.util.Arrays.copyOf(d, d.length + 1)).isEmpty());
        assertTrue(set.scan(java.util.Arrays.copyOf(d, d.length - 1)).isEmpty());
    }

    @Test
    void objectLargerThanEveryEntryStopsHashingButStillScansBodies() throws Exception {
        byte[] small = bytes("tiny");
        SignatureSet set = TestSets.load("m.hdb", digest("MD5", small) + ":4:Tiny");
        assertEquals(List.of("Tiny"), names(set.scan(small)));
        assertEquals(List.of("Tiny"), streamed(set, small, 1));
        SignatureSet both = SignatureSet.builder(LoadOptions.strictOptions())
            .load("m.hdb", bytes(digest("MD5", small) + ":4:Tiny"))
            .load("b.ndb", bytes("Body:0:*:" + TestSets.hex("needle"))).build();
        byte[] big = bytes("x".repeat(10_000) + "needle");
        assertEquals(List.of("Body"), streamed(both, big, 100));
        assertEquals(List.of("Body"), names(both.scan(big)));
    }

    @Test
    void randomSizesAndChunkingAgreeBetweenWholeAndStreamingScans() throws Exception {
        Random r = new Random(3);
        StringBuilder hdb = new StringBuilder();
        StringBuilder hsb = new StringBuilder();
        byte[][] objects = new byte[40][];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = new byte[r.nextInt(5000)];
            r.nextBytes(objects[i]);
            if (i % 3 == 0) hdb.append(digest("MD5", objects[i])).append(':').append(objects[i].length).append(":Md5-").append(i).append('\n');
            if (i % 5 == 0) hsb.append(digest("SHA-256", objects[i])).append(':').append(i % 2 == 0 ? "*" : String.valueOf(objects[i].length))
                .append(":Sha-").append(i).append(i % 2 == 0 ? ":73" : "").append('\n');
        }
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
            .load("r.hdb", bytes(hdb.toString())).load("r.hsb", bytes(hsb.toString())).build();
        for (int i = 0; i < objects.length; i++) {
            List<String> whole = names(set.scan(objects[i])).stream().sorted().toList();
            int expected = (i % 3 == 0 ? 1 : 0) + (i % 5 == 0 ? 1 : 0);
            assertEquals(expected, whole.size(), "object " + i + ": " + whole);
            int chunk = 1 + r.nextInt(700);
            assertEquals(whole, streamed(set, objects[i], chunk).stream().sorted().toList(), "object " + i);
            assertEquals(whole, declared(set, objects[i], chunk).stream().sorted().toList(), "object " + i);
        }
    }

    @Test
    void declaredSizeMustBeHonoured() throws Exception {
        SignatureSet set = TestSets.load("m.hdb", digest("MD5", bytes("abc")) + ":3:Abc");
        ScanSession longer = set.newSession(2);
        assertThrows(IllegalStateException.class, () -> longer.update(bytes("abc"), 0, 3));
        ScanSession shorter = set.newSession(5);
        shorter.update(bytes("abc"), 0, 3);
        assertThrows(IllegalStateException.class, shorter::finish, "a skipped digest cannot be recovered: misuse is an error");
        assertThrows(IllegalArgumentException.class, () -> set.newSession(-1));
        assertThrows(IllegalStateException.class, () -> set.newSession(4).scanAll(bytes("abc")));
        assertEquals(List.of("Abc"), names(set.newSession(3).scanAll(bytes("abc"))));
    }

    @Test
    void scanAllOnlyOnAFreshSessionAndLeavesTheCallersBytesAlone() throws Exception {
        SignatureSet set = TestSets.ndb("N:0:*:" + TestSets.hex("needle"), "Short:0:*:4142??4344");
        byte[] d = bytes("..needle..AB.CD");
        byte[] copy = d.clone();
        ScanSession s = set.newSession();
        List<Match> m = s.scanAll(d);
        assertEquals(List.of("N", "Short"), names(m));
        assertEquals(0, s.abandonedVerifications());
        assertTrue(java.util.Arrays.equals(copy, d));
        assertThrows(IllegalStateException.class, () -> s.scanAll(d));
        ScanSession t = set.newSession();
        t.update(d, 0, 3);
        assertThrows(IllegalStateException.class, () -> t.scanAll(d));
    }
}
