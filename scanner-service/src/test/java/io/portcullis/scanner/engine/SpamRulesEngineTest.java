package io.portcullis.scanner.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.rules.SpamRuleFiles;
import io.portcullis.scanner.rules.SpamRulesStatus;
import io.portcullis.spam.rules.BayesBuckets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamRulesEngineTest {
    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SpamRulesEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.stop();
        }
    }

    private SpamRulesEngine engine(Duration interval, Duration timeout, Path... dirs) {
        engine = new SpamRulesEngine(new SpamRuleFiles(List.of(dirs)), interval, timeout, registry);
        return engine;
    }

    private static ScanInput input(String message) {
        return new ScanInput("m1", null, List.of(new ScanItem("raw", null, null, 0,
                message.getBytes(StandardCharsets.ISO_8859_1))));
    }

    private static List<String> symbols(EngineResult r) {
        return r.findings().stream().map(Finding::symbol).toList();
    }

    private double failedReloads() {
        return registry.get("portcullis.spam.rules.reloads").tag("result", "failed").counter().count();
    }

    @Test
    void shippedListIsTheResourceFolderInNameOrder() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/spam/rules"))) {
            assertEquals(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cf")).sorted().toList(),
                    SpamRuleFiles.SHIPPED);
        }
    }

    @Test
    void bucketTableOfTheEvaluationMatchesBayesEngine() {
        for (BayesEngine.Bucket b : BayesEngine.Bucket.values()) {
            assertEquals(b.score(), BayesBuckets.score(b.from()), b.name());
            assertEquals(b.name(), BayesBuckets.name(b.from()));
            assertEquals(b, BayesEngine.Bucket.of(b.from()));
        }
        assertEquals(BayesEngine.Bucket.of(0.5).score(), BayesBuckets.score(0.5));
    }

    @Test
    void bulkMailGivesOneSpamFindingPerHitRuleWithDescriptionAndTheSetVersion() {
        EngineResult r = engine(Duration.ZERO, Duration.ofSeconds(5)).scan(input(SpamRulesMessages.BULK));
        assertEquals(EngineResult.Status.OK, r.status());
        List<String> s = symbols(r);
        for (String expected : List.of("SUBJ_ADV", "SUBJ_EXCLAIM", "SUBJ_FREE", "MSGID_OUTLOOK_INVALID",
                "BODY_NOT_SPAM_CLAIM", "BODY_REMOVE_LIST", "URI_IP_LITERAL", "BULK_PHRASES_4")) {
            assertTrue(s.contains(expected), expected + " in " + s);
        }
        assertTrue(r.findings().stream().allMatch(f -> f.category() == Category.SPAM && f.score() != 0
                && !f.symbol().startsWith("__")));
        Finding adv = r.findings().stream().filter(f -> f.symbol().equals("SUBJ_ADV")).findFirst().orElseThrow();
        assertEquals(engine.rules().score("SUBJ_ADV"), adv.score());
        assertTrue(adv.detail().startsWith("Subject carries an advertisement tag"), adv.detail());
        assertTrue(r.findings().stream().mapToDouble(Finding::score).sum() >= 5.0);
        assertEquals(engine.rules().version(), r.version());
        assertTrue(r.version().matches("rules-[0-9a-f]{12}"));
    }

    @Test
    void negativeScoresAreFindingsToo() {
        EngineResult r = engine(Duration.ZERO, Duration.ofSeconds(5)).scan(input(SpamRulesMessages.REPLY));
        assertEquals(List.of("REPLY_THREADED"), symbols(r));
        assertTrue(r.findings().get(0).score() < 0);
    }

    @Test
    void adminDirectoryAddsRulesAndOverridesShippedScores() throws Exception {
        Files.writeString(dir.resolve("local.cf"), "body LOCAL_WORD /selected/\nscore LOCAL_WORD 2.5\n"
                + "describe LOCAL_WORD site rule\nscore SUBJ_ADV 0\nscore URI_IP_LITERAL -1\n");
        Files.writeString(dir.resolve("ignored.txt"), "bogus\n");
        EngineResult r = engine(Duration.ZERO, Duration.ofSeconds(5), dir).scan(input(SpamRulesMessages.BULK));
        List<String> s = symbols(r);
        assertTrue(s.contains("LOCAL_WORD"), s.toString());
        assertFalse(s.contains("SUBJ_ADV"), s.toString());
        assertEquals(-1, r.findings().stream().filter(f -> f.symbol().equals("URI_IP_LITERAL")).findFirst()
                .orElseThrow().score());
        assertEquals(SpamRuleFiles.SHIPPED.size() + 1, engine.status().files().size());
        assertEquals(dir.resolve("local.cf").toString(), engine.status().files().get(SpamRuleFiles.SHIPPED.size()));
    }

    @Test
    void reloadSwapsInAGoodFileAndKeepsTheSetInUseOnABadOne() throws Exception {
        Path f = dir.resolve("site.cf");
        Files.writeString(f, "body SITE_ONE /limited time/\nscore SITE_ONE 1\n");
        SpamRulesEngine e = engine(Duration.ZERO, Duration.ofSeconds(5), dir);
        String v1 = e.status().version();
        assertFalse(e.check(), "nothing changed");
        assertTrue(symbols(e.scan(input(SpamRulesMessages.BULK))).contains("SITE_ONE"));

        Files.writeString(f, "body SITE_ONE /limited time/\nbody SITE_TWO /Visit/\n");
        assertTrue(e.check());
        String v2 = e.status().version();
        assertNotEquals(v1, v2);
        assertTrue(symbols(e.scan(input(SpamRulesMessages.BULK))).contains("SITE_TWO"));
        assertEquals(1, e.status().reloads());

        Files.writeString(f, "body SITE_ONE /limited time/\nbody SITE_THREE /(?!x)/\nscore NOPE 1\n");
        assertFalse(e.check());
        SpamRulesStatus st = e.status();
        assertEquals(v2, st.version(), "the good set stays in use");
        assertNotNull(st.lastError());
        assertEquals(List.of(f + ":2", f + ":3"), st.lastError().problems().stream()
                .map(p -> p.substring(0, p.indexOf(": "))).toList());
        assertEquals(1, st.failedReloads());
        assertEquals(1.0, failedReloads());
        assertEquals(1.0, registry.get("portcullis.spam.rules.error").gauge().value());
        List<String> s = symbols(e.scan(input(SpamRulesMessages.BULK)));
        assertTrue(s.contains("SITE_TWO") && !s.contains("SITE_THREE"), s.toString());
        assertFalse(e.check(), "the same broken content is not tried again");
        assertEquals(1, e.status().failedReloads());

        Files.delete(f);
        assertTrue(e.check());
        assertNull(e.status().lastError());
        assertEquals(engine(Duration.ZERO, Duration.ofSeconds(1)).status().hash(), e.status().hash(),
                "back to the shipped rules only");
    }

    @Test
    void aDirectoryThatDisappearsKeepsTheSetAndIsReportedOnce() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("site"));
        Files.writeString(sub.resolve("a.cf"), "body SITE_A /Visit/\n");
        SpamRulesEngine e = engine(Duration.ZERO, Duration.ofSeconds(5), sub);
        String v = e.status().version();
        Files.delete(sub.resolve("a.cf"));
        Files.delete(sub);
        assertFalse(e.check());
        assertFalse(e.check());
        assertEquals(v, e.status().version());
        assertEquals(1, e.status().failedReloads());
        assertTrue(e.status().lastError().message().contains("not a directory"), e.status().lastError().message());
        assertTrue(symbols(e.scan(input(SpamRulesMessages.BULK))).contains("SITE_A"));
    }

    @Test
    void directoriesAreCheckedPeriodically() throws Exception {
        SpamRulesEngine e = engine(Duration.ofMillis(100), Duration.ofSeconds(5), dir);
        String v1 = e.status().version();
        Files.writeString(dir.resolve("new.cf"), "body NEW_RULE /Dear friend/\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !e.status().version().equals(v1));
        assertTrue(symbols(e.scan(input(SpamRulesMessages.BULK))).contains("NEW_RULE"));
        Files.writeString(dir.resolve("new.cf"), "body NEW_RULE /(/\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> e.status().lastError() != null);
        assertTrue(e.status().lastError().problems().get(0).startsWith(dir.resolve("new.cf") + ":1: bad pattern"));
    }

    @Test
    void badFileOrMissingDirectoryFailsStartUpNamingFileAndLine() throws Exception {
        Files.writeString(dir.resolve("bad.cf"), "# ok\nbody BAD /(/\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine(Duration.ZERO, Duration.ofSeconds(5), dir));
        assertTrue(e.getMessage().contains(dir.resolve("bad.cf") + ":2: bad pattern"), e.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> engine(Duration.ZERO, Duration.ofSeconds(5), dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("not a directory"), missing.getMessage());
        Files.write(dir.resolve("bad.cf"), new byte[] {'b', 'o', 'd', 'y', ' ', 'A', ' ', '/', (byte) 0xff, '/'});
        assertTrue(assertThrows(IllegalStateException.class, () -> engine(Duration.ZERO, Duration.ofSeconds(5), dir))
                .getMessage().contains("not UTF-8"));
    }

    @Test
    void missingRawItemIsAFailureNotClean() {
        EngineResult r = engine(Duration.ZERO, Duration.ofSeconds(5)).scan(new ScanInput("m", null, List.of()));
        assertEquals(EngineResult.Status.FAILED, r.status());
        assertEquals(List.of(SpamRulesEngine.FAILURE_SYMBOL), symbols(r));
        assertEquals(Category.FAILURE, r.findings().get(0).category());
    }

    @Test
    void evaluationPastItsTimeoutIsAFailureNotClean() {
        EngineResult r = engine(Duration.ZERO, Duration.ofNanos(1)).scan(input(SpamRulesMessages.BULK));
        assertEquals(EngineResult.Status.TIMEOUT, r.status());
        assertEquals(List.of(SpamRulesEngine.FAILURE_SYMBOL), symbols(r));
        assertEquals(Category.FAILURE, r.findings().get(0).category());
    }

    @Test
    void rawItemWithoutContentIsAFailureThroughTheRunner() {
        SpamRulesEngine e = engine(Duration.ZERO, Duration.ofSeconds(5));
        EngineRunner runner = new EngineRunner(List.of(e), Duration.ofSeconds(5), 1);
        ScanInput nullContent = new ScanInput("m", null, List.of(new ScanItem("raw", null, null, 0, null)));
        assertEquals(List.of(SpamRulesEngine.FAILURE_SYMBOL), symbols(runner.run(nullContent).get(0)));
    }

    @Test
    void oversizedMessageIsScoredOnItsStartAndMarkedPartial() {
        String big = SpamRulesMessages.BULK + "more text\n".repeat(200_000);
        EngineResult r = engine(Duration.ZERO, Duration.ofSeconds(10)).scan(input(big));
        assertEquals(EngineResult.Status.OK, r.status());
        assertTrue(symbols(r).contains("SUBJ_ADV"));
        Finding partial = r.findings().get(r.findings().size() - 1);
        assertEquals(SpamRulesEngine.PARTIAL_SYMBOL, partial.symbol());
        assertEquals(Category.INFO, partial.category());
    }
}
