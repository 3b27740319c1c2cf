package io.portcullis.policy.signatures;

import static io.portcullis.policy.signatures.TarFixtures.gzip;
import static io.portcullis.policy.signatures.TarFixtures.hdbLine;
import static io.portcullis.policy.signatures.TarFixtures.hex;
import static io.portcullis.policy.signatures.TarFixtures.tar;
import static io.portcullis.policy.signatures.TarFixtures.tarOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.PolicyException;
import io.portcullis.policy.service.TooLargeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class BundleParserTest {
    private static final Instant CREATED = Instant.parse("2026-11-27T06:00:00Z");
    private static final byte[] SAMPLE = "malware sample".getBytes(StandardCharsets.US_ASCII);
    private static final String HDB = hdbLine(SAMPLE, "Win.Trojan.Sample-1");
    private static final String NDB = "Win.Test.Body-1:0:*:6d616c77617265\n";

    private final BundleParser parser = new BundleParser(1 << 20, 10);

    private record Parsed(BundleParser.Result result, byte[] normalized) {
    }

    private Parsed parse(BundleParser parser, byte[] upload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleParser.Result result = parser.parse(new ByteArrayInputStream(upload), out, CREATED);
        return new Parsed(result, out.toByteArray());
    }

    private Parsed parse(byte[] upload) throws IOException {
        return parse(parser, upload);
    }

    private <T extends PolicyException> T rejected(Class<T> type, byte[] upload) {
        return assertThrows(type, () -> parse(upload));
    }

    private static Map<String, byte[]> files(String... nameAndContent) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            files.put(nameAndContent[i], nameAndContent[i + 1].getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }

    @Test
    void acceptsATarOfDatabasesAndWritesANormalizedUstarOfTheSameFiles() throws IOException {
        Parsed parsed = parse(tarOf(files("main.hdb", HDB, "local.ndb", NDB)));

        assertEquals(List.of("main.hdb", "local.ndb"), parsed.result().files());
        assertEquals(Map.of("hdb", 1, "ndb", 1), parsed.result().signatures());
        assertEquals(parsed.normalized().length, parsed.result().size());
        assertEquals(hex("SHA-256", parsed.normalized()), parsed.result().sha256());

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(parsed.normalized()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertTrue(e.isFile());
                assertEquals(0644, e.getMode() & 07777);
                assertEquals(0, e.getLongUserId());
                assertEquals("", e.getUserName());
                assertEquals(CREATED.toEpochMilli() / 1000, e.getModTime().getTime() / 1000);
                byte[] content = tar.readAllBytes();
                assertArrayEquals((e.getName().equals("main.hdb") ? HDB : NDB).getBytes(StandardCharsets.US_ASCII),
                        content);
            }
        }
        assertEquals(List.of("main.hdb", "local.ndb"), names);
        // POSIX ustar magic and version in the first header
        assertEquals("ustar\u000000", new String(parsed.normalized(), 257, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void normalizedBundleIsTheSameForTheSameFilesWhetherUploadedPlainOrGzipped() throws IOException {
        byte[] plain = tarOf(files("main.hdb", HDB));
        Parsed a = parse(plain);
        Parsed b = parse(gzip(plain));
        assertEquals(a.result(), b.result());
        assertArrayEquals(a.normalized(), b.normalized());
    }

    @Test
    void refusesACvdNotSignedByClamAvNamingTheFile() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("daily.cvd", TarFixtures.cvd(files("daily.hdb", HDB), true));
        InvalidPolicyException e = rejected(InvalidPolicyException.class, tarOf(files));
        assertTrue(e.getMessage().startsWith("daily.cvd: digital signature does not verify"), e.getMessage());
    }

    @Test
    void acceptsACvdContainerAndCountsItsMembers() throws IOException {
        byte[] cvd = TarFixtures.cvd(files("daily.hdb", HDB, "daily.ndb", NDB, "daily.info", "x"), true);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("daily.cvd", cvd);
        // generated containers carry no ClamAV signature: the structure and member checks are what is tested here
        Parsed parsed = parse(new BundleParser(1 << 20, 10, false), tarOf(files));
        assertEquals(List.of("daily.cvd"), parsed.result().files());
        assertEquals(Map.of("hdb", 1, "ndb", 1), parsed.result().signatures());
    }

    @Test
    void rejectsACvdWhoseHeaderMd5DoesNotMatchNamingTheFile() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("daily.cvd", TarFixtures.cvd(files("daily.hdb", HDB), false));
        InvalidPolicyException e = rejected(InvalidPolicyException.class, tarOf(files));
        assertTrue(e.getMessage().startsWith("daily.cvd: corrupt or truncated container"), e.getMessage());
    }

    @Test
    void badSignatureLineIsA400NamingFileAndLine() {
        InvalidPolicyException e = rejected(InvalidPolicyException.class,
                tarOf(files("main.hdb", HDB, "bad.ndb", NDB + "Broken.Sig-1:0:*:zz\n")));
        assertTrue(e.getMessage().startsWith("bad.ndb:2: "), e.getMessage());
        assertEquals("body", e.field());
    }

    @Test
    void badHashLineIsA400NamingFileAndLine() {
        InvalidPolicyException e = rejected(InvalidPolicyException.class,
                tarOf(files("main.hdb", HDB + HDB + "nothex:12:Name-1\n")));
        assertTrue(e.getMessage().startsWith("main.hdb:3: "), e.getMessage());
    }

    @Test
    void rejectsPathTraversalAndPathNamesNamingTheEntry() {
        for (String name : List.of("../evil.hdb", "sub/main.hdb", "/etc/main.hdb", "..", "./main.hdb",
                "main .hdb", "main.hdb\u0007")) {
            InvalidPolicyException e = rejected(InvalidPolicyException.class, tarOf(name, HDB));
            assertTrue(e.getMessage().contains("not a plain top-level file name"), name + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("entry '"), e.getMessage());
        }
        InvalidPolicyException e = rejected(InvalidPolicyException.class, tarOf("../evil.hdb", HDB));
        assertTrue(e.getMessage().contains("'../evil.hdb'"), e.getMessage());
    }

    @Test
    void entryNamesInErrorsAreShownWithoutControlCharacters() {
        InvalidPolicyException e = rejected(InvalidPolicyException.class, tarOf("a\nb\u001b[31m.hdb", HDB));
        assertTrue(e.getMessage().contains("'a?b?[31m.hdb'"), e.getMessage());
    }

    @Test
    void rejectsSymbolicLinksHardLinksDirectoriesDevicesAndFifos() {
        Map<Character, String> kinds = new LinkedHashMap<>();
        kinds.put('2', "symbolic link");
        kinds.put('1', "hard link");
        kinds.put('5', "directory");
        kinds.put('3', "character device");
        kinds.put('4', "block device");
        kinds.put('6', "FIFO");
        kinds.forEach((type, kind) -> {
            byte[] upload = tar().file("main.hdb", HDB.getBytes(StandardCharsets.US_ASCII))
                    .header("other.hdb", type, 0, "/etc/passwd").end();
            InvalidPolicyException e = rejected(InvalidPolicyException.class, upload);
            String shown = type == '5' ? "other.hdb/" : "other.hdb"; // commons-compress marks directories with '/'
            assertEquals("entry '" + shown + "' is a " + kind + "; only regular files are allowed", e.getMessage());
        });
    }

    @Test
    void rejectsFilesThatAreNotSignatureDatabases() {
        for (String name : List.of("readme.txt", "main", "main.hdb.exe", "main.fp", "freshclam.conf")) {
            InvalidPolicyException e = rejected(InvalidPolicyException.class, tarOf(name, HDB));
            assertTrue(e.getMessage().contains("is not a signature database"), name + ": " + e.getMessage());
        }
    }

    @Test
    void acceptsUpperCaseExtensionsButNotTheSameNameTwiceIgnoringCase() throws IOException {
        assertEquals(List.of("MAIN.HDB"), parse(tarOf("MAIN.HDB", HDB)).result().files());
        InvalidPolicyException e = rejected(InvalidPolicyException.class,
                tarOf(files("main.hdb", HDB, "MAIN.hdb", HDB)));
        assertEquals("entry 'MAIN.hdb' appears twice", e.getMessage());
    }

    @Test
    void rejectsAnEmptyBodyAndATarWithoutFiles() {
        assertTrue(rejected(InvalidPolicyException.class, new byte[0]).getMessage().contains("no database file"));
        assertTrue(rejected(InvalidPolicyException.class, tar().end()).getMessage().contains("no database file"));
        assertTrue(rejected(InvalidPolicyException.class, gzip(tar().end())).getMessage()
                .contains("no database file"));
    }

    @Test
    void rejectsBytesThatAreNotATar() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        garbage[0] = 'x'; // not gzip magic
        InvalidPolicyException e = rejected(InvalidPolicyException.class, garbage);
        assertTrue(e.getMessage().startsWith("not a valid tar archive"), e.getMessage());
    }

    @Test
    void rejectsACorruptGzipStream() {
        byte[] gz = gzip(tarOf("main.hdb", HDB));
        byte[] corrupt = java.util.Arrays.copyOf(gz, gz.length / 2);
        InvalidPolicyException e = rejected(InvalidPolicyException.class, corrupt);
        assertEquals("body", e.field());
    }

    @Test
    void rejectsATruncatedTarNamingTheEntry() {
        byte[] truncated = tar().header("main.hdb", '0', 1000, "").raw(new byte[100]).bytes();
        InvalidPolicyException e = rejected(InvalidPolicyException.class, truncated);
        assertTrue(e.getMessage().contains("'main.hdb'") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsAHeaderCutShort() {
        byte[] whole = tarOf("main.hdb", HDB);
        InvalidPolicyException e = rejected(InvalidPolicyException.class, java.util.Arrays.copyOf(whole, 300));
        assertEquals("body", e.field());
    }

    @Test
    void hugeDeclaredSizeIsA413BeforeAnythingIsRead() {
        // 8 GiB - 1 declared, nothing follows: refused from the header alone
        byte[] upload = tar().header("main.hdb", '0', 077777777777L, "").bytes();
        TooLargeException e = rejected(TooLargeException.class, upload);
        assertTrue(e.getMessage().contains("'main.hdb' declares 8589934591 bytes"), e.getMessage());
    }

    @Test
    void filesAboveTheLimitTogetherAreA413() {
        BundleParser small = new BundleParser(3000, 10);
        String lines = HDB.repeat(1500 / HDB.length() + 1);
        byte[] upload = gzip(tarOf(files("a.hdb", lines, "b.hdb", lines)));
        assertTrue(upload.length < 3000, "the compressed upload itself is within the limit");
        assertThrows(TooLargeException.class, () -> parse(small, upload));
    }

    @Test
    void anUploadAboveTheLimitIsA413WhileReading() {
        BundleParser small = new BundleParser(4096, 10);
        byte[] upload = tarOf("main.hdb", HDB.repeat(200));
        TooLargeException e = assertThrows(TooLargeException.class, () -> parse(small, upload));
        assertTrue(e.getMessage().startsWith("the upload is larger than the limit of 4096 bytes")
                || e.getMessage().contains("declares"), e.getMessage());
    }

    @Test
    void aGzipBombIsStoppedAtTheLimitOfTheUncompressedTar() {
        BundleParser small = new BundleParser(64 * 1024, 10);
        // one valid small file, then 10 MB of zero blocks would be "end of archive"; use a PAX header instead,
        // whose content commons-compress must read: 2 MB of records compress to a few KB
        StringBuilder records = new StringBuilder();
        String record = "comment=" + "x".repeat(90) + "\n";
        String line = (record.length() + 4) + " " + record;
        while (records.length() < 2 << 20) {
            records.append(line);
        }
        byte[] pax = records.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] upload = gzip(tar().header("PaxHeader", 'x', pax.length, "").data(pax)
                .file("main.hdb", HDB.getBytes(StandardCharsets.US_ASCII)).end());
        assertTrue(upload.length < 64 * 1024, "compressed: " + upload.length);
        TooLargeException e = assertThrows(TooLargeException.class, () -> parse(small, upload));
        assertTrue(e.getMessage().startsWith("the uncompressed tar is larger than the limit"), e.getMessage());
    }

    @Test
    void moreFilesThanAllowedIsA413() {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            many.put("f" + i + ".hdb", HDB.getBytes(StandardCharsets.US_ASCII));
        }
        TooLargeException e = rejected(TooLargeException.class, tarOf(many));
        assertEquals("more than 10 database files", e.getMessage());
    }

    @Test
    void namesLongerThan100CharactersAreRefusedEvenAsGnuLongNames() {
        String longName = "a".repeat(120) + ".hdb";
        byte[] nameBytes = (longName + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] upload = tar().header("././@LongLink", 'L', nameBytes.length, "").data(nameBytes)
                .file("short.hdb", HDB.getBytes(StandardCharsets.US_ASCII)).end();
        InvalidPolicyException e = rejected(InvalidPolicyException.class, upload);
        assertTrue(e.getMessage().contains("not a plain top-level file name"), e.getMessage());
    }

    @Test
    void readsNothingAfterTheEndOfTheArchive() throws IOException {
        byte[] upload = tar().file("main.hdb", HDB.getBytes(StandardCharsets.US_ASCII)).end();
        byte[] withTrailer = java.util.Arrays.copyOf(upload, upload.length + 10_000);
        InputStream in = new ByteArrayInputStream(withTrailer);
        BundleParser.Result result = parser.parse(in, new ByteArrayOutputStream(), CREATED);
        assertEquals(List.of("main.hdb"), result.files());
    }
}
