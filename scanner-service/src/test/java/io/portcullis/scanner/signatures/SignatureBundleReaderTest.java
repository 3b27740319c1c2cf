package io.portcullis.scanner.signatures;

import static io.portcullis.scanner.support.Bundles.BUCKET;
import static io.portcullis.scanner.support.Bundles.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.scanner.support.Bundles;
import io.portcullis.scanner.support.Bundles.Entry;
import io.portcullis.scanner.support.InMemoryBodyStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class SignatureBundleReaderTest {
    private final InMemoryBodyStore store = new InMemoryBodyStore();
    private final SignatureBundleReader reader = new SignatureBundleReader(store, 1 << 20);

    private BundleRef stored(String version, byte[] tar) {
        store.put(BUCKET, Bundles.key(version), tar);
        return Bundles.ref(version, tar, "publish");
    }

    private String refusal(Map<String, Entry> entries) {
        BundleRef ref = stored("v1", Bundles.tarEntries(entries));
        return assertThrows(SignatureUpdateException.class, () -> reader.read(ref)).getMessage();
    }

    private static Map<String, Entry> with(String name, Entry entry) {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("good.ndb", Entry.file("Good.Sig-1:0:*:41424344\n"));
        m.put(name, entry);
        return m;
    }

    @Test
    void readsFlatDatabaseFilesInNameOrderAndAcceptsTheDotSlashForm() throws Exception {
        Map<String, Entry> entries = new LinkedHashMap<>();
        entries.put("./", new Entry(TarConstants.LF_DIR, null, null));
        entries.put("./daily.ndb", Entry.file("A.Sig-1:0:*:41424344\n"));
        entries.put("b.hdb", Entry.file("44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n"));
        entries.put("README.txt", Entry.file("not a database"));
        SignatureBundleReader.Contents c = reader.read(stored("v1", Bundles.tarEntries(entries)));
        assertEquals(List.of("b.hdb", "daily.ndb"), c.files().stream().map(BundleFile::name).toList());
        assertArrayEquals(ascii("A.Sig-1:0:*:41424344\n"), c.files().get(1).content());
        assertEquals(List.of("README.txt"), c.skipped(), "other files are skipped and reported, not loaded");
    }

    @Test
    void refusesPathTraversalNames() {
        assertTrue(refusal(with("../evil.ndb", Entry.file("x"))).contains("refused: invalid file name '../evil.ndb'"));
        assertTrue(refusal(with("/etc/evil.ndb", Entry.file("x"))).contains("refused"));
        assertTrue(refusal(with("..\\evil.ndb", Entry.file("x"))).contains("refused: invalid file name"));
        assertTrue(refusal(with("sub/x.ndb", Entry.file("x"))).contains("refused: invalid file name 'sub/x.ndb'"));
        assertTrue(refusal(with(".hidden.ndb", Entry.file("x"))).contains("refused: invalid file name"));
        assertTrue(refusal(with("a..ndb", Entry.file("x"))).contains("refused: invalid file name"));
    }

    @Test
    void refusesControlCharactersAndOverlongNamesWithoutEchoingThemRaw() {
        String message = refusal(with("evil\u0001\n.ndb", Entry.file("x")));
        assertTrue(message.contains("'evil??.ndb'"), message);
        assertTrue(refusal(with("a".repeat(300) + ".ndb", Entry.file("x"))).contains("refused: invalid file name"));
    }

    @Test
    void refusesLinksDevicesAndSubdirectories() {
        assertTrue(refusal(with("link.ndb", new Entry(TarConstants.LF_SYMLINK, null, "/etc/passwd")))
                .contains("refused: not a regular file 'link.ndb'"));
        assertTrue(refusal(with("hard.ndb", new Entry(TarConstants.LF_LINK, null, "good.ndb")))
                .contains("refused: not a regular file"));
        assertTrue(refusal(with("dev.ndb", new Entry(TarConstants.LF_CHR, null, null)))
                .contains("refused: not a regular file"));
        assertTrue(refusal(with("fifo.ndb", new Entry(TarConstants.LF_FIFO, null, null)))
                .contains("refused: not a regular file"));
        assertTrue(refusal(with("sub/", new Entry(TarConstants.LF_DIR, null, null)))
                .contains("refused: sub-directory 'sub/'"));
    }

    @Test
    void refusesDuplicateNamesIgnoringCase() {
        assertTrue(refusal(with("GOOD.ndb", Entry.file("x"))).contains("refused: duplicate file name 'GOOD.ndb'"));
    }

    @Test
    void refusesMoreEntriesThanTheLimit() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i <= SignatureBundleReader.MAX_FILES; i++) {
            files.put("f" + i + ".ndb", new byte[0]);
        }
        BundleRef ref = stored("v1", Bundles.tar(files));
        SignatureBundleReader big = new SignatureBundleReader(store, 1 << 24);
        assertTrue(assertThrows(SignatureUpdateException.class, () -> big.read(ref)).getMessage()
                .contains("more than 1000 entries"));
    }

    @Test
    void refusesABundleWithoutAnyDatabase() {
        BundleRef ref = stored("v1", Bundles.tar(Map.of("notes.txt", ascii("hello"))));
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(ref)).getMessage()
                .contains("holds no signature database"));
    }

    @Test
    void refusesASha256Mismatch() {
        byte[] tar = Bundles.tar(Map.of("a.ndb", ascii("A.Sig-1:0:*:41424344\n")));
        store.put(BUCKET, Bundles.key("v1"), tar);
        BundleRef ref = new BundleRef("v1", BUCKET, Bundles.key("v1"), "00".repeat(32), tar.length, "publish");
        String message = assertThrows(SignatureUpdateException.class, () -> reader.read(ref)).getMessage();
        assertTrue(message.contains("SHA-256 mismatch"), message);
    }

    @Test
    void refusesAnObjectLongerOrShorterThanAnnounced() {
        byte[] tar = Bundles.tar(Map.of("a.ndb", ascii("A.Sig-1:0:*:41424344\n")));
        store.put(BUCKET, Bundles.key("v1"), tar);
        BundleRef shorter = new BundleRef("v1", BUCKET, Bundles.key("v1"), Bundles.sha256(tar), tar.length - 512,
                "publish");
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(shorter)).getMessage()
                .contains("larger than its announced"));
        BundleRef longer = new BundleRef("v1", BUCKET, Bundles.key("v1"), Bundles.sha256(tar), tar.length + 1,
                "publish");
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(longer)).getMessage()
                .contains("has " + tar.length + " bytes, announced " + (tar.length + 1)));
    }

    @Test
    void refusesAnAnnouncementAboveTheSizeLimitBeforeDownloading() {
        BundleRef huge = new BundleRef("v1", BUCKET, Bundles.key("v1"), "00".repeat(32), 2L << 30, "publish");
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(huge)).getMessage()
                .contains("max-bundle-bytes"));
        assertEquals(0, store.opens());
    }

    @Test
    void truncatedArchiveWithMatchingHashIsRefused() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a.ndb", Bundles.random(1, 1000));
        files.put("b.ndb", Bundles.random(2, 3000));
        byte[] tar = Bundles.tar(files);
        BundleRef ref = stored("v1", Arrays.copyOf(tar, 512 + 1024 + 512 + 1500)); // in the middle of b.ndb
        String message = assertThrows(SignatureUpdateException.class, () -> reader.read(ref)).getMessage();
        assertTrue(message.contains("truncated"), message);
        BundleRef header = stored("v2", Arrays.copyOf(tar, 512 + 1024 + 512 + 200)); // b.ndb larger than the rest
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(header)).getMessage()
                .contains("refused: invalid size 3000 'b.ndb'"));
    }

    @Test
    void garbageIsNotATar() {
        BundleRef ref = stored("v1", Bundles.random(7, 5000));
        String message = assertThrows(SignatureUpdateException.class, () -> reader.read(ref)).getMessage();
        assertTrue(message.contains("bundle v1"), message);
    }

    @Test
    void bytesAfterTheEndOfArchiveAreCoveredByTheHash() throws Exception {
        byte[] tar = Bundles.tar(Map.of("a.ndb", ascii("A.Sig-1:0:*:41424344\n")));
        byte[] padded = Arrays.copyOf(tar, tar.length + 4096);
        padded[padded.length - 1] = 7;
        assertEquals(1, reader.read(stored("v1", padded)).files().size());
    }

    @Test
    void missingObjectAndStorageOutageAreFailures() {
        BundleRef missing = Bundles.ref("v9", ascii("nothing"), "publish");
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(missing)).getMessage()
                .contains("not found at portcullis-signatures/bundles/v9.tar"));
        BundleRef ref = stored("v1", Bundles.tar(Map.of("a.ndb", ascii("A.Sig-1:0:*:41424344\n"))));
        store.failNext(1);
        assertTrue(assertThrows(SignatureUpdateException.class, () -> reader.read(ref)).getMessage()
                .contains("could not be read from portcullis-signatures/bundles/v1.tar: simulated S3 outage"));
    }

    @Test
    void bundleReferencesRefuseInvalidFields() {
        String sha = "ab".repeat(32);
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("../1", BUCKET, "k", sha, 1, "publish"));
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("1", BUCKET, "../k", sha, 1, "publish"));
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("1", BUCKET, "/k", sha, 1, "publish"));
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("1", BUCKET, "a\nb", sha, 1, "publish"));
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("1", BUCKET, "k", "xyz", 1, "publish"));
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("1", BUCKET, "k", sha, 0, "publish"));
        assertThrows(IllegalArgumentException.class, () -> new BundleRef("1", "B U", "k", sha, 1, "publish"));
        assertEquals("ab".repeat(32), new BundleRef("1", BUCKET, "k", "AB".repeat(32), 1, null).sha256());
    }
}
