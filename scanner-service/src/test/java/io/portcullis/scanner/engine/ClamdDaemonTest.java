package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.plain;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClamdEngine against the real Debian clamd, started here with a generated configuration and a two-signature
 * database in a temporary directory (no freshclam, no system database). Skipped only when /usr/sbin/clamd is missing
 * outside CI; in CI (env CI set) a missing clamd fails.
 */
class ClamdDaemonTest {
    private static final Path CLAMD = Path.of("/usr/sbin/clamd");
    /** Smaller than the test messages below need, so that clamd's own size limit can be shown. */
    private static final long STREAM_MAX_LENGTH = 1 << 20;

    @TempDir
    static Path dir;
    private static Process clamd;
    private static Path socket;
    private static byte[] trojan;

    @BeforeAll
    static void startClamd() throws Exception {
        if (!Files.isExecutable(CLAMD)) {
            if (System.getenv("CI") != null) {
                fail(CLAMD + " is missing: install clamav-daemon (this test must run in CI)");
            }
            Assumptions.abort(CLAMD + " is missing (Debian package clamav-daemon)");
        }
        trojan = new byte[10_000];
        new Random(2024).nextBytes(trojan);
        Path db = Files.createDirectory(dir.resolve("db"));
        Files.writeString(db.resolve("portcullis-test.ndb"),
                "Portcullis.Test.Eicar:0:*:" + HexFormat.of().formatHex(ascii(EICAR)) + "\n",
                StandardCharsets.US_ASCII);
        Files.writeString(db.resolve("portcullis-test.hdb"), HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(trojan)) + ":" + trojan.length
                + ":Win.Trojan.PortcullisTest-1\n", StandardCharsets.US_ASCII);
        socket = dir.resolve("clamd.ctl");
        Path conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n",
                "Foreground yes",
                "LocalSocket " + socket,
                "DatabaseDirectory " + db,
                "TemporaryDirectory " + dir,
                "LogFile " + dir.resolve("clamd.log"),
                "PidFile " + dir.resolve("clamd.pid"),
                "DisableCache yes",
                "SelfCheck 0",
                "StreamMaxLength " + STREAM_MAX_LENGTH,
                ""), StandardCharsets.US_ASCII);
        clamd = new ProcessBuilder(CLAMD.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        ClamdClient client = new ClamdClient(ClamdClient.Address.parse("unix:" + socket), Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (Files.exists(socket) && client.ping(Duration.ofSeconds(2))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!clamd.isAlive() || System.nanoTime() > deadline) {
                fail("clamd did not start: " + Files.readString(dir.resolve("clamd.out")));
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stopClamd() throws Exception {
        if (clamd != null) {
            clamd.destroy();
            if (!clamd.waitFor(10, TimeUnit.SECONDS)) {
                clamd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static ClamdEngine engine(long maxStreamBytes) {
        return new ClamdEngine(new ClamdClient(ClamdClient.Address.parse("unix:" + socket), Duration.ofSeconds(20)),
                maxStreamBytes, System::nanoTime);
    }

    private static EngineResult scan(ClamdEngine engine, byte[] raw) {
        return engine.scan(new ScanInput("daemon-test", null,
                List.of(new ScanItem("raw", null, "message/rfc822", 0, raw))));
    }

    @Test
    void eicarInAMailIsFoundByRealClamd() {
        EngineResult r = scan(engine(26_214_400), plain("test", EICAR));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(List.of(new Finding("AV_TEST", Category.VIRUS, 0, "clamd: Portcullis.Test.Eicar.UNOFFICIAL")),
                r.findings(), "clamd marks signatures of unsigned databases UNOFFICIAL");
        assertTrue(r.version() != null && r.version().startsWith("ClamAV 1."), r.version());
    }

    @Test
    void hashSignatureMatchesInsideAZipAttachmentThatClamdUnpacksItself() {
        byte[] message = withAttachment("setup.zip", zip("bin/setup.bin", trojan));
        EngineResult r = scan(engine(26_214_400), message);
        assertEquals(List.of(new Finding("AV_TROJAN", Category.VIRUS, 0,
                "clamd: Win.Trojan.PortcullisTest-1.UNOFFICIAL")), r.findings());
    }

    @Test
    void cleanMailIsClean() {
        EngineResult r = scan(engine(26_214_400), plain("hello", "nothing to see here, just a note"));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(List.of(), r.findings());
    }

    @Test
    void streamAboveClamdsStreamMaxLengthIsClamdFailNotClean() {
        byte[] big = plain("big", "z".repeat((int) STREAM_MAX_LENGTH + 100_000));
        EngineResult r = scan(engine(64L << 20), big);
        assertEquals(EngineResult.Status.FAILED, r.status());
        assertEquals("CLAMD_FAIL", r.findings().get(0).symbol());
        assertEquals(Category.FAILURE, r.findings().get(0).category());
    }

    @Test
    void pingIsUp() {
        ClamdEngine.Health h = engine(26_214_400).ping();
        assertTrue(h.up(), h.toString());
        assertTrue(h.version().startsWith("ClamAV "), h.toString());
    }
}
