package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.support.LocalScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole scan (decomposition, every engine, the seeded policy) over each file of Debian's clamav-testfiles, with a
 * database built here from clam.exe: its MD5 (an {@code .hdb} line) and one body signature (48 bytes of its code,
 * an {@code .ndb} line). The expected outcome of every file is listed: found by a signature, or a named failure
 * (unscannable format, packed executable, limit) that the seeded policy quarantines. No file may come out clean.
 */
class ClamavTestfilesDetectionTest {
    private static final Path DIR = Path.of("/usr/share/clamav-testfiles");
    private static final String HASH_SIG = "Win.Trojan.ClamTestHash-1";
    private static final String BODY_SIG = "Win.Trojan.ClamTestBody-1";

    /** How a file must end: detected by a signature (and which), or quarantined for a failure symbol. */
    record Expect(String outcome, String symbol) {
        static Expect detected(String signature) {
            return new Expect("detected", signature);
        }

        static Expect failure(String symbol) {
            return new Expect("failure", symbol);
        }
    }

    private static final TreeMap<String, Expect> EXPECTED = new TreeMap<>();

    static {
        // clam.exe reached (as a child item): the MD5 signature matches, and the body signature too
        for (String f : List.of("clam.7z", "clam.bin-be.cpio", "clam.bin-le.cpio", "clam.bz2.zip", "clam.cab",
                "clam.d64.zip", "clam.exe", "clam.exe.binhex", "clam.exe.bz2", "clam.exe.html", "clam.exe.mbox.base64",
                "clam.exe.mbox.uu", "clam.exe.rtf", "clam.exe.szdd", "clam.impl.zip", "clam.mail", "clam.newc.cpio",
                "clam.ole.doc", "clam.pdf", "clam.ppt", "clam.sis", "clam.tar.gz", "clam.tnef", "clam.zip",
                "clam-nsis.exe", "clam.odc.cpio", "clam_IScab_ext.exe")) {
            EXPECTED.put(f, Expect.detected(HASH_SIG));
        }
        // Debian's clam-fsg.exe is not FSG-packed: clam.exe's code lies in it unpacked, inside another file; only the
        // body signature can see it
        EXPECTED.put("clam-fsg.exe", Expect.detected(BODY_SIG));
        // formats without an open decoder, and the nesting bomb: reported, quarantined, never clean
        EXPECTED.put("clam_cache_emax.tgz", Expect.failure("ARCHIVE_DEPTH"));
        EXPECTED.put("clam.arj", Expect.failure("ARCHIVE_UNSCANNABLE"));
        EXPECTED.put("clam.chm", Expect.failure("ARCHIVE_UNSCANNABLE"));
        EXPECTED.put("clam_IScab_int.exe", Expect.failure("ARCHIVE_UNSCANNABLE"));
        EXPECTED.put("clam_ISmsi_ext.exe", Expect.failure("ARCHIVE_UNSCANNABLE"));
        EXPECTED.put("clam_ISmsi_int.exe", Expect.failure("ARCHIVE_UNSCANNABLE"));
        EXPECTED.put("clam.ea05.exe", Expect.failure("ARCHIVE_UNSCANNABLE"));
        EXPECTED.put("clam.ea06.exe", Expect.failure("ARCHIVE_UNSCANNABLE"));
        // runtime packers we do not unpack: IntelliTrap's packed-executable finding
        for (String f : List.of("clam-aspack.exe", "clam-mew.exe", "clam-pespin.exe", "clam-petite.exe",
                "clam-upack.exe", "clam-upx.exe", "clam-wwpack.exe", "clam-yc.exe")) {
            EXPECTED.put(f, Expect.failure("PACKED_EXECUTABLE"));
        }
    }

    private static LocalScanner scanner;

    @BeforeAll
    static void database(@TempDir Path db) throws Exception {
        if (!Files.isDirectory(DIR)) {
            return;
        }
        byte[] clam = Files.readAllBytes(DIR.resolve("clam.exe"));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(clam));
        Files.writeString(db.resolve("clam.hdb"), md5 + ":" + clam.length + ":" + HASH_SIG + "\n");
        Files.writeString(db.resolve("clam.ndb"),
                BODY_SIG + ":0:*:" + HexFormat.of().formatHex(clam, 0x40, 0x70) + "\n");
        scanner = new LocalScanner(DecompositionLimits.DEFAULTS, List.of(db));
    }

    @AfterAll
    static void close() {
        if (scanner != null) {
            scanner.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTestFileIsDetectedOrQuarantinedAsUnscannable() throws Exception {
        if (!Files.isDirectory(DIR)) {
            if (System.getenv("CI") != null) {
                fail(DIR + " is missing on CI: install the clamav-testfiles package");
            }
            Assumptions.assumeTrue(false, DIR + " missing (apt-get install clamav-testfiles)");
        }
        List<String> present;
        try (Stream<Path> files = Files.list(DIR)) {
            present = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.copyOf(EXPECTED.keySet()), present, "every file of the package has an expected outcome");
        return EXPECTED.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            LocalScanner.Result r = scanner.scan(withAttachment(e.getKey(), Files.readAllBytes(DIR.resolve(e.getKey()))));
            String report = e.getKey() + ": action " + r.decision().action() + " rule " + r.decision().ruleId()
                    + " symbols " + r.symbols() + " findings " + r.findings();
            Expect x = e.getValue();
            if (x.outcome().equals("detected")) {
                boolean hit = r.findings().stream().anyMatch(f -> f.symbol().equals("AV_TROJAN")
                        && f.detail().startsWith(x.symbol() + " in "));
                if (!hit) {
                    fail("signature " + x.symbol() + " expected: " + report);
                }
                assertEquals("virus-quarantine", r.decision().ruleId(), report);
            } else {
                if (!r.symbols().contains(x.symbol())) {
                    fail(x.symbol() + " expected: " + report);
                }
                assertEquals(io.portcullis.contracts.events.Action.QUARANTINE, r.decision().action(), report);
            }
        }));
    }
}
