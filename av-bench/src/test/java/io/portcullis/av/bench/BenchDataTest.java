package io.portcullis.av.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.av.Match;
import io.portcullis.av.SignatureSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchDataTest {
    @TempDir
    Path dir;

    @Test
    void generatedDatabaseLoadsStrictlyAndEveryPlantedDetectionIsFound() throws Exception {
        BenchData.Generated g = BenchData.generate(dir.resolve("a"), 7, 30_000_000, 2_000, 2_000);
        SignatureSet set = Corpus.load(g.dbDir());
        long plantedHashes = g.planted().stream().filter(p -> p.signature().contains("-80000")).count();
        assertTrue(plantedHashes > 0);
        assertEquals(2_000 + plantedHashes, set.stats().md5Hashes() + set.stats().sha256Hashes(), "random plus planted hashes");
        assertEquals(2_000, set.stats().bodySignatures());
        assertTrue(g.planted().size() >= 10, "planted " + g.planted().size());
        assertTrue(g.totalBytes() >= 30_000_000);
        for (BenchData.Planted p : g.planted()) {
            List<Match> m = set.scan(Files.readAllBytes(g.filesDir().resolve(p.file())));
            assertTrue(m.stream().anyMatch(x -> x.signature().equals(p.signature())), p + " found: " + m);
        }
    }

    @Test
    void sameSeedGivesSameBytes() throws Exception {
        BenchData.Generated a = BenchData.generate(dir.resolve("a"), 11, 1_000_000, 500, 300);
        BenchData.Generated b = BenchData.generate(dir.resolve("b"), 11, 1_000_000, 500, 300);
        assertEquals(a.files().size(), b.files().size());
        for (int i = 0; i < a.files().size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.files().get(i)), Files.readAllBytes(b.files().get(i)));
        }
        assertArrayEquals(Files.readAllBytes(a.dbDir().resolve("bench.ndb")), Files.readAllBytes(b.dbDir().resolve("bench.ndb")));
        assertTrue(BenchData.upToDate(dir.resolve("a"), 11, 1_000_000));
        assertTrue(!BenchData.upToDate(dir.resolve("a"), 12, 1_000_000));
    }
}
