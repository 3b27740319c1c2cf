package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.plain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyEvaluator;
import io.portcullis.scanner.support.FakeClamd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClamdEngineTest {
    private static final String VERSION = "ClamAV 1.4.6/27839/Mon Nov 24 09:27:12 2025";
    private static final byte[] RAW = plain("hello", "a clean note");

    private final List<FakeClamd> servers = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @AfterEach
    void stopServers() {
        servers.forEach(FakeClamd::close);
    }

    private FakeClamd tcp(FakeClamd.Behaviour behaviour) throws Exception {
        FakeClamd f = FakeClamd.tcp(behaviour);
        servers.add(f);
        return f;
    }

    private ClamdEngine engine(String address, Duration timeout) {
        return engine(address, timeout, 26_214_400, ClamdClient.DEFAULT_MAX_REPLY_BYTES);
    }

    private ClamdEngine engine(String address, Duration timeout, long maxStream, int maxReply) {
        return new ClamdEngine(new ClamdClient(ClamdClient.Address.parse(address), timeout, maxReply), maxStream,
                clock::get);
    }

    /** The raw message plus a decoded part, as the decomposer hands them over. */
    private static ScanInput input(byte[] raw) {
        return new ScanInput("m1", null, List.of(new ScanItem("raw", null, "message/rfc822", 0, raw),
                new ScanItem("part/1", null, "text/plain", 1, ascii("decoded part"))));
    }

    private static void assertFailure(EngineResult r, EngineResult.Status status, String detailPart) {
        assertEquals(status, r.status());
        assertEquals(1, r.findings().size(), r.findings().toString());
        Finding f = r.findings().get(0);
        assertEquals("CLAMD_FAIL", f.symbol());
        assertEquals(Category.FAILURE, f.category());
        assertTrue(f.detail().contains(detailPart), f.detail());
        assertEquals(Action.QUARANTINE, new PolicyEvaluator().evaluate(r.findings(), DefaultPolicy.SNAPSHOT).action(),
                "a clamd failure is never delivered as clean");
    }

    @Test
    void okReplyIsCleanAndCarriesClamdVersion() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW));
        assertEquals(EngineResult.ok("clamd", List.of(), VERSION), r);
    }

    @Test
    void onlyTheRawMessageIsStreamedInChunksAndArrivesWhole() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        byte[] big = new byte[200_000];
        new Random(3).nextBytes(big);
        engine(fake.address(), Duration.ofSeconds(5)).scan(input(big));
        List<FakeClamd.Request> streams = fake.requests("zINSTREAM");
        assertEquals(1, streams.size(), "one INSTREAM per message, not one per part");
        assertArrayEquals(big, streams.get(0).stream());
        assertEquals(List.of(65536, 65536, 65536, 3392), streams.get(0).chunks());
    }

    @Test
    void foundReplyBecomesTheSameSymbolAsOurEngineWithClamdDetail() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: Win.Trojan.Agent-123 FOUND"));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(List.of(new Finding("AV_TROJAN", Category.VIRUS, 0, "clamd: Win.Trojan.Agent-123")),
                r.findings());
        assertEquals(VERSION, r.version());
    }

    @Test
    void unixSocketWorksLikeTcp(@TempDir Path dir) throws Exception {
        FakeClamd fake = FakeClamd.unix(dir.resolve("clamd.ctl"), FakeClamd.clamd(VERSION,
                b -> new String(b, StandardCharsets.US_ASCII).contains("EICAR") ? "stream: Eicar-Signature FOUND"
                        : "stream: OK"));
        servers.add(fake);
        ClamdEngine engine = engine(fake.address(), Duration.ofSeconds(5));
        assertEquals(List.of(new Finding("AV_TEST", Category.VIRUS, 0, "clamd: Eicar-Signature")),
                engine.scan(input(plain("x", EICAR))).findings());
        assertEquals(List.of(), engine.scan(input(RAW)).findings());
        assertTrue(engine.ping().up());
    }

    @Test
    void graywareNamesAreGraywareAndMalwareIsVirus() {
        assertEquals(new Finding("AV_PUA_GRAYWARE", Category.GRAYWARE, 0, "clamd: PUA.Win.Tool.Packed-1"),
                ClamdEngine.finding("PUA.Win.Tool.Packed-1"));
        assertEquals(new Finding("AV_ADWARE", Category.GRAYWARE, 0, "clamd: PUA.Win.Adware.Foo-2"),
                ClamdEngine.finding("PUA.Win.Adware.Foo-2"));
        assertEquals(new Finding("AV_SPYWARE", Category.GRAYWARE, 0, "clamd: Win.Spyware.Keylog-9"),
                ClamdEngine.finding("Win.Spyware.Keylog-9"));
        assertEquals(new Finding("AV_DIALER", Category.GRAYWARE, 0, "clamd: Win.Dialer.Foo-1"),
                ClamdEngine.finding("Win.Dialer.Foo-1"));
        assertEquals(new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "clamd: Email.Worm.Netsky-1"),
                ClamdEngine.finding("Email.Worm.Netsky-1"));
        assertEquals(new Finding("AV_VIRUS", Category.VIRUS, 0, "clamd: Win.Virus.Sality-5"),
                ClamdEngine.finding("Win.Virus.Sality-5"));
        assertEquals(new Finding("AV_TEST", Category.VIRUS, 0, "clamd: Portcullis.Test.Eicar.UNOFFICIAL"),
                ClamdEngine.finding("Portcullis.Test.Eicar.UNOFFICIAL"));
    }

    @Test
    void limitsAndEncryptedHeuristicsAreFailuresOtherHeuristicsAreViruses() {
        assertEquals(new Finding("CLAMD_HEURISTIC", Category.FAILURE, 0, "clamd: Heuristics.Encrypted.Zip"),
                ClamdEngine.finding("Heuristics.Encrypted.Zip"));
        assertEquals(new Finding("CLAMD_HEURISTIC", Category.FAILURE, 0,
                "clamd: Heuristics.Limits.Exceeded.MaxFileSize"),
                ClamdEngine.finding("Heuristics.Limits.Exceeded.MaxFileSize"));
        Finding phishing = ClamdEngine.finding("Heuristics.Phishing.Email.SpoofedDomain");
        assertEquals(Category.VIRUS, phishing.category());
        assertEquals("AV_VIRUS", phishing.symbol());
    }

    @Test
    void encryptedArchiveReplyIsNotCleanAndQuarantined() throws Exception {
        FakeClamd fake = tcp(FakeClamd.replies("stream: Heuristics.Encrypted.Zip FOUND"));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW));
        assertEquals(List.of(new Finding("CLAMD_HEURISTIC", Category.FAILURE, 0, "clamd: Heuristics.Encrypted.Zip")),
                r.findings());
        assertEquals(Action.QUARANTINE, new PolicyEvaluator().evaluate(r.findings(), DefaultPolicy.SNAPSHOT).action());
    }

    @Test
    void allMatchRepliesAreAllReportedOnceAndExtendedInfoIsStripped() throws Exception {
        FakeClamd fake = tcp(FakeClamd.replies(
                "stream: Win.Trojan.A-1(44d88612fea8a8f36de82e1278abb02f:68) FOUND",
                "stream: PUA.Win.Packer.B-2 FOUND", "stream: Win.Trojan.A-1 FOUND"));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW));
        assertEquals(List.of(new Finding("AV_TROJAN", Category.VIRUS, 0, "clamd: Win.Trojan.A-1"),
                new Finding("AV_PUA_GRAYWARE", Category.GRAYWARE, 0, "clamd: PUA.Win.Packer.B-2")), r.findings());
    }

    @Test
    void errorReplyIsClamdFail() throws Exception {
        FakeClamd fake = tcp(FakeClamd.replies("INSTREAM size limit exceeded. ERROR"));
        assertFailure(engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW)), EngineResult.Status.FAILED,
                "INSTREAM size limit exceeded. ERROR");
    }

    @Test
    void streamLargerThanClamdAcceptsIsClamdFailNotClean() throws Exception {
        // our limit above the server's StreamMaxLength: the server refuses mid-stream and closes
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        byte[] big = new byte[FakeClamd.STREAM_MAX + 1_000_000];
        EngineResult r = engine(fake.address(), Duration.ofSeconds(10), 64L << 20, 16384).scan(input(big));
        assertFailure(r, EngineResult.Status.FAILED, "clamd failed:");
        assertEquals(List.of(), fake.requests("zINSTREAM"), "the server never got a whole stream");
    }

    @Test
    void refusedConnectionIsClamdFail() throws Exception {
        EngineResult r = engine(FakeClamd.refusingTcpAddress(), Duration.ofSeconds(5)).scan(input(RAW));
        assertFailure(r, EngineResult.Status.FAILED, "clamd failed:");
    }

    @Test
    void missingUnixSocketIsClamdFail(@TempDir Path dir) {
        EngineResult r = engine("unix:" + dir.resolve("none.ctl"), Duration.ofSeconds(5)).scan(input(RAW));
        assertFailure(r, EngineResult.Status.FAILED, "clamd failed:");
    }

    @Test
    void silentServerTimesOutWithinTheDeadline() throws Exception {
        FakeClamd fake = tcp(FakeClamd.silent());
        long start = System.nanoTime();
        EngineResult r = engine(fake.address(), Duration.ofMillis(400)).scan(input(RAW));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFailure(r, EngineResult.Status.TIMEOUT, "clamd timed out after 400 ms");
        assertTrue(ms >= 350 && ms < 3_000, "took " + ms + " ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.openConnections() == 0);
    }

    @Test
    void slowDripHitsTheWholeReplyDeadlineNotAPerReadTimeout() throws Exception {
        // every byte arrives well within any per-read timeout; the whole reply would take 11 x 150 ms
        FakeClamd fake = tcp(FakeClamd.drip("stream: OK\0", Duration.ofMillis(150)));
        long start = System.nanoTime();
        EngineResult r = engine(fake.address(), Duration.ofMillis(600)).scan(input(RAW));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFailure(r, EngineResult.Status.TIMEOUT, "timed out");
        assertTrue(ms < 1_500, "took " + ms + " ms");
    }

    @Test
    void garbageRepliesAreClamdFail() throws Exception {
        byte[] noise = new byte[300];
        new Random(11).nextBytes(noise);
        noise[noise.length - 1] = 0;
        for (byte[] reply : List.of(noise, ascii("stream: banana\0"), ascii("stream: OK\0stream: OK\0"),
                ascii("stream: OK\0stream: Win.Trojan.X FOUND\0"), ascii("stream:  FOUND\0"),
                ascii("stream: two words FOUND\0"), ascii("\0"), ascii("PONG\0"),
                "stream: Win.Tr\u00f6jan FOUND\0".getBytes(StandardCharsets.ISO_8859_1))) {
            FakeClamd fake = tcp(FakeClamd.raw(reply));
            assertFailure(engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW)),
                    EngineResult.Status.FAILED, "clamd failed:");
        }
    }

    @Test
    void oversizedReplyIsCutOffAtTheCap() throws Exception {
        byte[] huge = new byte[4 << 20];
        java.util.Arrays.fill(huge, (byte) 'A');
        FakeClamd fake = tcp(FakeClamd.raw(huge));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(10), 26_214_400, 16384).scan(input(RAW));
        assertFailure(r, EngineResult.Status.FAILED, "reply longer than 16384 bytes");
    }

    @Test
    void overlongReplyLineIsClamdFail() throws Exception {
        FakeClamd fake = tcp(FakeClamd.raw(ascii("stream: " + "A".repeat(2000) + " FOUND\0")));
        assertFailure(engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW)), EngineResult.Status.FAILED,
                "longer than");
    }

    @Test
    void connectionClosedMidReplyIsClamdFailEvenForAFoundPrefix() throws Exception {
        FakeClamd truncated = tcp(FakeClamd.raw(ascii("stream: Win.Trojan.Ag")));
        assertFailure(engine(truncated.address(), Duration.ofSeconds(5)).scan(input(RAW)),
                EngineResult.Status.FAILED, "truncated reply");
        FakeClamd okWithoutNul = tcp(FakeClamd.raw(ascii("stream: OK")));
        assertFailure(engine(okWithoutNul.address(), Duration.ofSeconds(5)).scan(input(RAW)),
                EngineResult.Status.FAILED, "truncated reply");
        FakeClamd nothing = tcp(FakeClamd.raw(new byte[0]));
        assertFailure(engine(nothing.address(), Duration.ofSeconds(5)).scan(input(RAW)),
                EngineResult.Status.FAILED, "closed without a reply");
    }

    @Test
    void messageAboveMaxStreamBytesIsClamdLimitAndNotSent() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5), 1000, 16384).scan(input(new byte[1001]));
        assertEquals(List.of(new Finding("CLAMD_LIMIT", Category.FAILURE, 0,
                "clamd: message of 1001 bytes above max-stream-bytes 1000, not scanned")), r.findings());
        assertEquals(0, fake.connections());
        assertEquals(Action.QUARANTINE, new PolicyEvaluator().evaluate(r.findings(), DefaultPolicy.SNAPSHOT).action());
        assertEquals(List.of(), engine(fake.address(), Duration.ofSeconds(5), 1000, 16384)
                .scan(input(new byte[1000])).findings(), "exactly at the limit is scanned");
    }

    @Test
    void inputWithoutARawItemIsClamdFail() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5)).scan(new ScanInput("m", null,
                List.of(new ScanItem("part/1", null, null, 1, ascii("x")))));
        assertFailure(r, EngineResult.Status.FAILED, "no raw message");
        assertEquals(0, fake.connections());
    }

    @Test
    void versionIsAskedAtMostOncePerMinute() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        ClamdEngine engine = engine(fake.address(), Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            assertEquals(VERSION, engine.scan(input(RAW)).version());
        }
        assertEquals(1, fake.requests("zVERSION").size());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
        engine.scan(input(RAW));
        assertEquals(1, fake.requests("zVERSION").size());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        engine.scan(input(RAW));
        assertEquals(2, fake.requests("zVERSION").size());
        assertEquals(5, fake.requests("zINSTREAM").size());
    }

    @Test
    void failingVersionLeavesTheScanResultIntactWithoutVersion() throws Exception {
        FakeClamd fake = tcp((request, out) -> {
            if (request.command().equals("zINSTREAM")) {
                FakeClamd.write(out, "stream: OK\0");
            } else {
                FakeClamd.write(out, "garbage\0");
            }
        });
        EngineResult r = engine(fake.address(), Duration.ofSeconds(5)).scan(input(RAW));
        assertEquals(EngineResult.ok("clamd", List.of(), null), r);
    }

    @Test
    void pingReportsUpAndDown() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: OK"));
        ClamdEngine.Health up = engine(fake.address(), Duration.ofSeconds(5)).ping();
        assertTrue(up.up());
        assertEquals(VERSION, up.version());
        assertNull(up.error());
        ClamdEngine.Health down = engine(FakeClamd.refusingTcpAddress(), Duration.ofSeconds(5)).ping();
        assertFalse(down.up());
        assertTrue(down.error() != null && !down.error().isBlank());
        FakeClamd wrong = tcp(FakeClamd.raw(ascii("PANG\0")));
        assertFalse(engine(wrong.address(), Duration.ofSeconds(5)).ping().up());
    }

    @Test
    void runnerTimeoutInterruptsClamdAndClosesTheConnection() throws Exception {
        FakeClamd fake = tcp(FakeClamd.silent());
        EngineRunner runner = new EngineRunner(List.of(engine(fake.address(), Duration.ofSeconds(30))),
                Duration.ofMillis(300), 1);
        try {
            EngineResult r = runner.run(input(RAW)).get(0);
            assertEquals(EngineResult.Status.TIMEOUT, r.status());
            assertEquals("CLAMD_FAIL", r.findings().get(0).symbol());
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.openConnections() == 0);
        } finally {
            runner.close();
        }
    }

    @Test
    void clamdFindingsAreMergedWithTheSignatureEngineByTheRunner() throws Exception {
        FakeClamd fake = tcp(FakeClamd.clamd(VERSION, b -> "stream: Eicar-Signature FOUND"));
        EngineRunner runner = new EngineRunner(List.of(new SignatureEngine(List.of()),
                engine(fake.address(), Duration.ofSeconds(5))), Duration.ofSeconds(10), 2);
        try {
            List<Finding> all = runner.run(new ScanInput("m", null,
                    List.of(new ScanItem("raw", null, "message/rfc822", 0, plain("x", EICAR))))).stream()
                    .flatMap(r -> r.findings().stream()).toList();
            assertEquals(List.of(new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in raw"),
                    new Finding("AV_TEST", Category.VIRUS, 0, "clamd: Eicar-Signature")), all);
        } finally {
            runner.close();
        }
    }
}
