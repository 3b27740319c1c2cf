package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.av.Match;
import io.portcullis.av.ThreatCategory;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureEngineTest {
    private static SignatureEngine bundled;

    @BeforeAll
    static void load() {
        bundled = new SignatureEngine(List.of());
    }

    private static ScanInput input(ScanItem... items) {
        return new ScanInput("m1", null, List.of(items));
    }

    private static ScanItem item(String path, byte[] content) {
        return new ScanItem(path, null, null, 1, content);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void bundledDatabaseHoldsThePublished68ByteEicarAsBodyAndMd5Signature() throws Exception {
        byte[] eicar = ascii(EICAR);
        assertEquals(68, eicar.length);
        String md5 = hex(MessageDigest.getInstance("MD5").digest(eicar));
        assertEquals("44d88612fea8a8f36de82e1278abb02f", md5);
        // both signatures match the exact file, each from its own database
        List<Match> exact = bundled.signatures().scan(eicar);
        assertEquals(List.of(
                new Match("Eicar-Test-Signature", ThreatCategory.TEST, "portcullis-base.hdb", Match.WHOLE_FILE),
                new Match("Eicar-Test-Signature", ThreatCategory.TEST, "portcullis-base.ndb", 0)), exact);
    }

    @Test
    void eicarFileFoundByBodyAndHashIsOneFindingPerItem() throws Exception {
        EngineResult r = bundled.scan(input(item("part/2", ascii(EICAR))));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(List.of(new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in part/2")),
                r.findings(), "same signature name on the same item: one finding");
    }

    @Test
    void embeddedEicarIsFoundByBodySignatureAloneInEveryItem() throws Exception {
        byte[] embedded = ascii("Subject: x\r\n\r\nlook: " + EICAR + "\r\n");
        assertTrue(bundled.signatures().scan(embedded).stream().allMatch(m -> m.offset() >= 0), "no hash match");
        EngineResult r = bundled.scan(input(item("raw", embedded), item("part/1", embedded)));
        assertEquals(List.of("Eicar-Test-Signature in raw", "Eicar-Test-Signature in part/1"),
                r.findings().stream().map(Finding::detail).toList());
        assertTrue(r.findings().stream().allMatch(f -> f.symbol().equals("AV_TEST")));
    }

    @Test
    void cleanItemsHaveNoFindings() throws Exception {
        byte[] almost = ascii(EICAR.substring(0, 67));
        EngineResult r = bundled.scan(input(item("raw", ascii("Subject: hi\r\n\r\njust a note\r\n")),
                item("part/2", almost), item("part/3", new byte[0]), item("part/4", null)));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(List.of(), r.findings());
    }

    @Test
    void databaseInConfiguredDirectoryAddsATrojanSignature(@TempDir Path dir) throws Exception {
        byte[] payload = new byte[4096];
        new Random(42).nextBytes(payload);
        byte[] sig = java.util.Arrays.copyOfRange(payload, 1000, 1032);
        Files.writeString(dir.resolve("local.ndb"), "Win.Trojan.Fake-1:0:*:" + hex(sig) + "\n");
        Files.writeString(dir.resolve("notes.txt"), "not a database: ignored\n");
        SignatureEngine engine = new SignatureEngine(List.of(dir));
        EngineResult r = engine.scan(input(item("part/2/zip:setup.bin", payload), item("part/3", ascii(EICAR))));
        assertEquals(List.of(
                new Finding("AV_TROJAN", Category.VIRUS, 0, "Win.Trojan.Fake-1 in part/2/zip:setup.bin"),
                new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in part/3")), r.findings(),
                "the bundled database is still loaded");
        assertEquals(List.of(), bundled.scan(input(item("part/2", payload))).findings(), "not in the base set");
    }

    @Test
    void graywareSignaturesAreGraywareFindingsAndMassMailersVirusFindings(@TempDir Path dir) throws Exception {
        byte[] adware = new byte[2048];
        byte[] worm = new byte[2048];
        new Random(7).nextBytes(adware);
        new Random(8).nextBytes(worm);
        Files.writeString(dir.resolve("cat.ndb"),
                "PUA.Win.Adware.Fake-1:0:*:" + hex(java.util.Arrays.copyOfRange(adware, 100, 132)) + "\n"
                        + "Email.Worm.Fake-1:0:*:" + hex(java.util.Arrays.copyOfRange(worm, 100, 132)) + "\n");
        SignatureEngine engine = new SignatureEngine(List.of(dir));
        EngineResult r = engine.scan(input(item("part/2", adware), item("part/3", worm)));
        assertEquals(List.of(
                new Finding("AV_ADWARE", Category.GRAYWARE, 0, "PUA.Win.Adware.Fake-1 in part/2"),
                new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "Email.Worm.Fake-1 in part/3")), r.findings());
        assertEquals(Category.GRAYWARE, SignatureEngine.category(ThreatCategory.SPYWARE));
        assertEquals(Category.GRAYWARE, SignatureEngine.category(ThreatCategory.DIALER));
        assertEquals(Category.VIRUS, SignatureEngine.category(ThreatCategory.TROJAN));
        assertEquals(Category.VIRUS, SignatureEngine.category(ThreatCategory.TEST));
    }

    @Test
    void anInterruptedScanStopsAndIsAFailureNeverClean() {
        Thread.currentThread().interrupt();
        try {
            EngineResult r = bundled.scan(input(item("part/2", ascii("clean text"))));
            assertEquals(EngineResult.Status.FAILED, r.status());
            assertEquals(List.of(SignatureEngine.FAILURE_SYMBOL), r.findings().stream().map(Finding::symbol).toList());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void symbolsFollowTheSignatureCategory() {
        assertEquals("AV_WORM_MASS_MAILER", SignatureEngine.symbol(ThreatCategory.of("Email.Worm.Foo-1")));
        assertEquals("AV_SPYWARE", SignatureEngine.symbol(ThreatCategory.of("Win.Spyware.Foo-1")));
        assertEquals("AV_PUA_GRAYWARE", SignatureEngine.symbol(ThreatCategory.of("PUA.Win.Tool.Foo-1")));
        assertEquals("AV_VIRUS", SignatureEngine.symbol(ThreatCategory.of("Win.Virus.Foo-1")));
    }

    @Test
    void malformedDatabaseFailsStartupNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.ndb");
        Files.writeString(bad, "Good.Sig-1:0:*:41424344\nBad.Sig-2:0:*:41zz\n", StandardCharsets.US_ASCII);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SignatureEngine(List.of(dir)));
        assertTrue(e.getMessage().contains(bad + ":2:"), e.getMessage());
    }

    @Test
    void missingSignatureDirectoryFailsStartup(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SignatureEngine(List.of(missing)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void verificationOverTheStepLimitIsAnAvLimitFailureNotClean(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("slow.ndb"), "Slow.Sig-1:0:*:4142{0-300}4343{0-300}4343{0-300}5a5a\n");
        SignatureEngine engine = new SignatureEngine(List.of(dir));
        EngineResult r = engine.scan(input(item("part/2", ascii("AB" + "C".repeat(2000))),
                item("part/3", ascii("nothing here"))));
        assertEquals(List.of(new Finding("AV_LIMIT", Category.FAILURE, 0,
                "1 signature verifications over the step limit in part/2")), r.findings());
    }
}
