package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.BayesEngine.Bucket;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyDecision;
import io.portcullis.scanner.policy.PolicyEvaluator;
import io.portcullis.scanner.support.TestMessages;
import io.portcullis.spam.SpamModel;
import io.portcullis.spam.SpamScore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BayesEngineTest {
    private static final double THRESHOLD = DefaultPolicy.SNAPSHOT.spamThreshold();
    private static SpamModel shipped;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadShipped() {
        shipped = BayesEngine.load(Optional.empty());
    }

    private static ScanInput input(byte[] raw) {
        return new ScanInput("t", null, List.of(new ScanItem("raw", null, null, 0, raw),
                new ScanItem("part/1", null, "text/plain", 1, "x".getBytes(StandardCharsets.US_ASCII))));
    }

    private static SpamScore score(double p, boolean partial) {
        return new SpamScore(p, p > 0.9, List.of(new SpamScore.Contribution("subject:free", 0.99),
                new SpamScore.Contribution("from:@cheap.test", 0.98), new SpamScore.Contribution("click", 0.97),
                new SpamScore.Contribution("mortgage", 0.96), new SpamScore.Contribution("url:cheap.test", 0.95),
                new SpamScore.Contribution("sixth", 0.94)), partial);
    }

    private static PolicyDecision decide(List<Finding> findings) {
        return new PolicyEvaluator().evaluate(findings, DefaultPolicy.SNAPSHOT);
    }

    @Test
    void bucketBoundariesFollowTheSpamAssassinStyle() {
        assertEquals(Bucket.BAYES_00, Bucket.of(0));
        assertEquals(Bucket.BAYES_00, Bucket.of(0.0099));
        assertEquals(Bucket.BAYES_05, Bucket.of(0.01));
        assertEquals(Bucket.BAYES_20, Bucket.of(0.2));
        assertEquals(Bucket.BAYES_40, Bucket.of(0.4));
        assertEquals(Bucket.BAYES_40, Bucket.of(0.5), "exactly 0.5 adds nothing");
        assertEquals(Bucket.BAYES_50, Bucket.of(Math.nextUp(0.5)));
        assertEquals(Bucket.BAYES_80, Bucket.of(0.8999));
        assertEquals(Bucket.BAYES_90, Bucket.of(0.9));
        assertEquals(Bucket.BAYES_95, Bucket.of(0.9899));
        assertEquals(Bucket.BAYES_99, Bucket.of(0.99));
        assertEquals(Bucket.BAYES_99, Bucket.of(1));
    }

    @Test
    void scoresRiseWithTheProbabilityAndMeetTheThresholdAtTheModelCutoff() {
        double previous = Double.NEGATIVE_INFINITY;
        for (Bucket b : Bucket.values()) {
            assertTrue(b.score() >= previous, b + " below the bucket under it");
            previous = b.score();
            if (b.from() <= 0.5) {
                assertTrue(b.score() <= 0, b + " must not add to the spam score");
            }
        }
        assertTrue(Bucket.BAYES_99.score() > THRESHOLD, "0.99 alone is spam");
        assertTrue(Bucket.BAYES_95.score() >= THRESHOLD, "0.95 alone is spam (cross-validated with the rules)");
        assertTrue(Bucket.BAYES_90.score() < THRESHOLD && Bucket.BAYES_90.score() + 0.5 >= THRESHOLD,
                "from the model's cutoff 0.9 a little more evidence (a rule, a blocklist) makes it spam");
        assertEquals(0.9, shipped.params().spamCutoff(), "bucket BAYES_90 starts at the shipped cutoff");
        assertTrue(Bucket.BAYES_80.score() < Bucket.BAYES_90.score());
    }

    @Test
    void aShortBusinessMailWithAnAttachmentStaysFarBelowTheSpamBuckets() {
        String pdf = java.util.Base64.getMimeEncoder().encodeToString(("%PDF-1.4\n" + "x".repeat(4000))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String mail = ("From: \"Anna Berg\" <anna.berg@supplier.example>\nTo: <orders@example.com>\n"
                + "Subject: Invoice 2026-1183\nDate: Thu, 26 Nov 2026 10:12:00 +0100\n"
                + "Message-ID: <20261126101200.1183@supplier.example>\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\n"
                + "see attachment\n\nBest regards\nAnna\n--b1\nContent-Type: application/pdf; name=\"inv.pdf\"\n"
                + "Content-Disposition: attachment; filename=\"inv.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + pdf + "\n--b1--\n").replace("\n", "\r\n");
        double p = shipped.score(mail.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).probability();
        assertTrue(p < Bucket.BAYES_80.from(), "MIME structure is not tokenized, so attachments alone are not spammy: p="
                + p);
    }

    @Test
    void probabilityBecomesOneSpamFindingWithTheTopFiveTokens() {
        BayesEngine engine = new BayesEngine(raw -> score(0.9973, false), "abcd1234-2026-01-01");
        EngineResult r = engine.scan(input(TestMessages.plain("x", "y")));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals("abcd1234-2026-01-01", r.version());
        assertEquals(List.of(new Finding("BAYES_99", Category.SPAM, Bucket.BAYES_99.score(),
                "p=0.997300 top: subject:free=0.990 from:@cheap.test=0.980 click=0.970 mortgage=0.960"
                        + " url:cheap.test=0.950")), r.findings());
        PolicyDecision d = decide(r.findings());
        assertTrue(d.spam());
        assertEquals(Action.TAG, d.action());
    }

    @Test
    void hammyProbabilityLowersTheScoreAndIsDelivered() {
        EngineResult r = new BayesEngine(raw -> score(0.001, false), "v").scan(input(new byte[] {'x'}));
        assertEquals("BAYES_00", r.findings().get(0).symbol());
        assertTrue(r.findings().get(0).score() < 0);
        PolicyDecision d = decide(r.findings());
        assertFalse(d.spam());
        assertEquals(Action.DELIVER, d.action());
    }

    @Test
    void detailMasksAddressLocalPartsAndBoundsTokens() {
        assertEquals("from:*@example.test", BayesEngine.shown("from:alice.smith@example.test"));
        assertEquals("a_b", BayesEngine.shown("a\nb"));
        String longToken = "x".repeat(100);
        assertEquals("x".repeat(BayesEngine.DETAIL_TOKEN_CHARS) + "…", BayesEngine.shown(longToken));
        assertEquals("p=0.500000", BayesEngine.detail(new SpamScore(0.5, false, List.of(), false)));
    }

    @Test
    void partialScoreAddsAnInfoFindingNotAFailure() {
        EngineResult r = new BayesEngine(raw -> score(0.3, true), "v").scan(input(new byte[] {'x'}));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(List.of("BAYES_20", BayesEngine.PARTIAL_SYMBOL),
                r.findings().stream().map(Finding::symbol).toList());
        Finding partial = r.findings().get(1);
        assertEquals(Category.INFO, partial.category());
        assertEquals(0, partial.score());
        assertEquals(Action.DELIVER, decide(r.findings()).action(), "a partly read message is not a scan failure");
    }

    @Test
    void theShippedModelTellsSyntheticSpamFromHam() {
        BayesEngine engine = new BayesEngine(shipped);
        EngineResult spam = engine.scan(input(BayesMessages.SPAM));
        assertEquals("BAYES_99", spam.findings().get(0).symbol(), spam.findings().toString());
        EngineResult ham = engine.scan(input(BayesMessages.HAM));
        assertEquals("BAYES_00", ham.findings().get(0).symbol(), ham.findings().toString());
        assertEquals(engine.version(), spam.version());
    }

    @Test
    void shippedModelVersionIsTrainingSetHashPrefixAndDate() {
        String v = BayesEngine.versionOf(shipped);
        assertTrue(v.matches("[0-9a-f]{8}-\\d{4}-\\d{2}-\\d{2}"), v);
        assertTrue(shipped.trainingSetHash().startsWith("sha256:" + v.substring(0, 8)), shipped.trainingSetHash());
        assertEquals(3125, shipped.spamMessages() + shipped.hamMessages(), "the TRAIN split only");
    }

    @Test
    void modelFromAConfiguredPathIsLoaded() throws IOException {
        Path copy = dir.resolve("copy.model");
        try (InputStream in = BayesEngine.class.getClassLoader().getResourceAsStream(BayesEngine.SHIPPED_MODEL)) {
            Files.write(copy, in.readAllBytes());
        }
        assertEquals(BayesEngine.versionOf(shipped), BayesEngine.versionOf(BayesEngine.load(Optional.of(copy))));
    }

    @Test
    void badModelFileFailsWithAClearError() throws IOException {
        Path garbage = dir.resolve("garbage.model");
        Files.writeString(garbage, "this is not a model");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BayesEngine.load(Optional.of(garbage)));
        assertTrue(e.getMessage().startsWith("portcullis.scanner.bayes.model " + garbage + ": cannot load"),
                e.getMessage());
        assertTrue(e.getMessage().contains("not a Portcullis spam model"), e.getMessage());

        byte[] good;
        try (InputStream in = BayesEngine.class.getClassLoader().getResourceAsStream(BayesEngine.SHIPPED_MODEL)) {
            good = in.readAllBytes();
        }
        Path truncated = dir.resolve("truncated.model");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        e = assertThrows(IllegalStateException.class, () -> BayesEngine.load(Optional.of(truncated)));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());

        Path missing = dir.resolve("missing.model");
        e = assertThrows(IllegalStateException.class, () -> BayesEngine.load(Optional.of(missing)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void noRawMessageIsAFailureNotClean() {
        EngineResult r = new BayesEngine(raw -> score(0.001, false), "v").scan(new ScanInput("t", null,
                List.of(new ScanItem("part/1", null, "text/plain", 1, new byte[] {'x'}))));
        assertEquals(EngineResult.Status.FAILED, r.status());
        assertEquals(List.of(BayesEngine.FAILURE_SYMBOL), r.findings().stream().map(Finding::symbol).toList());
        assertEquals(Category.FAILURE, r.findings().get(0).category());
    }

    @Test
    void impossibleProbabilityIsAFailure() {
        EngineResult r = new BayesEngine(raw -> new SpamScore(Double.NaN, false, List.of(), false), "v")
                .scan(input(new byte[] {'x'}));
        assertEquals(EngineResult.Status.FAILED, r.status());
        assertEquals(BayesEngine.FAILURE_SYMBOL, r.findings().get(0).symbol());
    }

    @Test
    void scorerExceptionBecomesBayesFailThroughTheRunner() {
        AtomicInteger calls = new AtomicInteger();
        BayesEngine broken = new BayesEngine(raw -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }, "v");
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            EngineResult r = runner.run(input(new byte[] {'x'})).get(0);
            assertEquals(EngineResult.Status.FAILED, r.status());
            Finding f = r.findings().get(0);
            assertEquals(BayesEngine.FAILURE_SYMBOL, f.symbol());
            assertEquals(Category.FAILURE, f.category());
            assertEquals(1, calls.get(), "scored once per message");
            assertEquals(Action.QUARANTINE, decide(r.findings()).action());
        } finally {
            runner.close();
        }
    }
}
