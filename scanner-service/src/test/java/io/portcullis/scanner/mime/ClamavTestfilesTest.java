package io.portcullis.scanner.mime;

import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Debian's clamav-testfiles (clam.exe hidden in 44 formats): each file, sent as an attachment, must end with clam.exe
 * itself as an item (so ClamAV's hash and body signatures for it match), or with an explicit failure finding that
 * names the format; never silently "nothing found". The table below is the expected outcome per file, so that a
 * regression (or an improvement) shows. Packed executables are the packer engine's business: not unpacked here.
 *
 * <p>Needs {@code /usr/share/clamav-testfiles} ({@code apt-get install clamav-testfiles}); skipped without it locally,
 * failed without it on CI (env {@code CI} set).
 */
class ClamavTestfilesTest {
    private static final Path DIR = Path.of("/usr/share/clamav-testfiles");

    /**
     * What decomposing one test file must give: clam.exe found (with exactly the listed failure symbols, if any), or
     * not found with a failure of the symbol whose detail starts with the format tag, or (packed executables) neither.
     */
    private record Expect(boolean found, String symbol, String formatTag, List<String> alsoFailures) {
        static final Expect NOT_UNPACKED = new Expect(false, null, null, List.of());

        static Expect clamExe(String... alsoFailures) {
            return new Expect(true, null, null, List.of(alsoFailures));
        }

        static Expect failure(String symbol, String formatTag) {
            return new Expect(false, symbol, formatTag, List.of());
        }
    }

    private static final Map<String, Expect> EXPECTED = new TreeMap<>();

    static {
        for (String f : List.of("clam.7z", "clam.bin-be.cpio", "clam.bin-le.cpio", "clam.bz2.zip", "clam.cab",
                "clam.d64.zip", "clam.exe", "clam.exe.binhex", "clam.exe.bz2", "clam.exe.html", "clam.exe.mbox.base64",
                "clam.exe.mbox.uu", "clam.exe.rtf", "clam.exe.szdd", "clam.impl.zip", "clam.mail", "clam.newc.cpio",
                "clam.ole.doc", "clam.pdf", "clam.ppt", "clam.sis", "clam.tar.gz", "clam.tnef", "clam.zip",
                "clam-nsis.exe")) {
            EXPECTED.put(f, Expect.clamExe());
        }
        // 310 bytes ("[CLAMAV]" ...) follow the cpio trailer
        EXPECTED.put("clam.odc.cpio", Expect.clamExe("ARCHIVE_CONCATENATED"));
        // the installer's own data1.cab/data1.hdr/data2.cab are InstallShield cabinets; engine32.cab has a tail
        EXPECTED.put("clam_IScab_ext.exe", Expect.clamExe("ARCHIVE_UNSCANNABLE", "ARCHIVE_CONCATENATED"));
        // ClamAV's recursion test: tgz in tgz beyond the depth limit
        EXPECTED.put("clam_cache_emax.tgz", Expect.failure("ARCHIVE_DEPTH", "part/2/gz"));
        EXPECTED.put("clam.arj", Expect.failure("ARCHIVE_UNSCANNABLE", "arj"));
        EXPECTED.put("clam.chm", Expect.failure("ARCHIVE_UNSCANNABLE", "chm"));
        EXPECTED.put("clam_IScab_int.exe", Expect.failure("ARCHIVE_UNSCANNABLE", "iscab"));
        EXPECTED.put("clam_ISmsi_ext.exe", Expect.failure("ARCHIVE_UNSCANNABLE", "installshield"));
        EXPECTED.put("clam_ISmsi_int.exe", Expect.failure("ARCHIVE_UNSCANNABLE", "installshield"));
        EXPECTED.put("clam.ea05.exe", Expect.failure("ARCHIVE_UNSCANNABLE", "autoit"));
        EXPECTED.put("clam.ea06.exe", Expect.failure("ARCHIVE_UNSCANNABLE", "autoit"));
        for (String f : List.of("clam-aspack.exe", "clam-fsg.exe", "clam-mew.exe", "clam-pespin.exe",
                "clam-petite.exe", "clam-upack.exe", "clam-upx.exe", "clam-wwpack.exe", "clam-yc.exe")) {
            EXPECTED.put(f, Expect.NOT_UNPACKED);
        }
    }

    private final MessageDecomposer decomposer = new MessageDecomposer(DecompositionLimits.DEFAULTS);

    @TestFactory
    Stream<DynamicTest> everyTestFileEndsWithClamExeOrAFailureNamingItsFormat() throws IOException {
        if (!Files.isDirectory(DIR)) {
            if (System.getenv("CI") != null) {
                fail(DIR + " is missing on CI: install the clamav-testfiles package");
            }
            Assumptions.assumeTrue(false, DIR + " missing (apt-get install clamav-testfiles)");
        }
        String clamMd5 = md5(Files.readAllBytes(DIR.resolve("clam.exe")));
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.filter(Files::isRegularFile).forEach(f -> present.add(f.getFileName().toString()));
        }
        DynamicTest table = DynamicTest.dynamicTest("the table lists every file", () ->
                assertEquals(present, EXPECTED.keySet(), "files without an expected outcome, or missing files"));
        return Stream.concat(Stream.of(table), EXPECTED.entrySet().stream().filter(e -> present.contains(e.getKey()))
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue(), clamMd5))));
    }

    private void check(String name, Expect expect, String clamMd5) throws IOException {
        byte[] file = Files.readAllBytes(DIR.resolve(name));
        Decomposition d = decomposer.decompose(withAttachment(name, file));
        boolean found = d.items().stream().anyMatch(i -> i.depth() >= 1 && md5(i.content()).equals(clamMd5));
        List<Finding> failures = d.findings().stream().filter(f -> f.category() == Category.FAILURE).toList();
        String report = name + ": items " + d.items().stream().map(ScanItem::path).toList() + ", findings "
                + d.findings();
        if (expect.found()) {
            assertTrue(found, "clam.exe not found: " + report);
            assertEquals(new TreeSet<>(expect.alsoFailures()), failures.stream().map(Finding::symbol)
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new)), "failure symbols: " + report);
        } else if (expect.symbol() == null) {
            assertFalse(found, "a packed executable now unpacks: update the table: " + report);
            assertEquals(List.of(), failures, report);
        } else {
            assertFalse(found, "now found: update the table: " + report);
            assertTrue(failures.stream().anyMatch(f -> f.symbol().equals(expect.symbol())
                    && f.detail().startsWith(expect.formatTag())), "expected " + expect + ": " + report);
        }
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
