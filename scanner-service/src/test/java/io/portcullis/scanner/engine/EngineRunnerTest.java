package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyDecision;
import io.portcullis.scanner.policy.PolicyEvaluator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineRunnerTest {
    private static final ScanInput INPUT = new ScanInput("m1", null,
            List.of(new ScanItem("raw", null, "message/rfc822", 0, new byte[] {1, 2, 3})));

    /** An engine that always throws. */
    static final class FailingEngine implements ScanEngine {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public String failureSymbol() {
            return "FAILING_FAIL";
        }

        @Override
        public EngineResult scan(ScanInput input) {
            throw new IllegalStateException("engine crashed");
        }
    }

    /** An engine that takes far longer than the timeout (until interrupted). */
    static final class SlowEngine implements ScanEngine {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public String failureSymbol() {
            return "SLOW_FAIL";
        }

        @Override
        public EngineResult scan(ScanInput input) {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return EngineResult.ok(name(), List.of());
        }
    }

    static ScanEngine engine(String name, String failure, java.util.function.Function<ScanInput, EngineResult> f) {
        return new ScanEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String failureSymbol() {
                return failure;
            }

            @Override
            public EngineResult scan(ScanInput input) {
                return f.apply(input);
            }
        };
    }

    @Test
    void throwingEngineBecomesItsFailureSymbol() {
        EngineRunner runner = new EngineRunner(List.of(new FailingEngine()), Duration.ofSeconds(5), 2);
        try {
            List<EngineResult> results = runner.run(INPUT);
            assertEquals(1, results.size());
            EngineResult r = results.get(0);
            assertEquals(EngineResult.Status.FAILED, r.status());
            assertEquals(List.of(new Finding("FAILING_FAIL", Category.FAILURE, 0, "failing failed: IllegalStateException")),
                    r.findings());
        } finally {
            runner.close();
        }
    }

    @Test
    void slowEngineTimesOutIsInterruptedAndBecomesItsFailureSymbol() throws Exception {
        SlowEngine slow = new SlowEngine();
        EngineRunner runner = new EngineRunner(List.of(slow), Duration.ofMillis(1000), 2);
        try {
            long start = System.nanoTime();
            EngineResult r = runner.run(INPUT).get(0);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 5_000, "returned after the timeout, not after the engine: " + tookMs + " ms");
            assertEquals(EngineResult.Status.TIMEOUT, r.status());
            assertEquals("SLOW_FAIL", r.findings().get(0).symbol());
            assertEquals(Category.FAILURE, r.findings().get(0).category());
            assertTrue(slow.started.await(0, TimeUnit.SECONDS), "the engine ran");
            assertTrue(slow.interrupted.await(5, TimeUnit.SECONDS), "the timed-out engine was interrupted");
        } finally {
            runner.close();
        }
    }

    @Test
    void failureAndTimeoutDoNotHideOtherEnginesFindingsAndPolicyQuarantines() {
        ScanEngine good = engine("good", "GOOD_FAIL", in -> EngineResult.ok("good",
                List.of(new Finding("SOMETHING", Category.INFO, 0, "fine"))));
        EngineRunner runner = new EngineRunner(List.of(new FailingEngine(), new SlowEngine(), good),
                Duration.ofMillis(300), 4);
        try {
            List<EngineResult> results = runner.run(INPUT);
            List<String> symbols = results.stream().flatMap(r -> r.findings().stream()).map(Finding::symbol).toList();
            assertEquals(List.of("FAILING_FAIL", "SOMETHING", "SLOW_FAIL"), symbols, "engine-name order");
            List<Finding> all = results.stream().flatMap(r -> r.findings().stream()).toList();
            PolicyDecision d = new PolicyEvaluator().evaluate(all, DefaultPolicy.SNAPSHOT);
            assertEquals(Action.QUARANTINE, d.action());
            assertEquals("scan-failure-quarantine", d.ruleId());
        } finally {
            runner.close();
        }
    }

    @Test
    void onlyTimeoutWithDefaultPolicyIsNeverDelivered() {
        EngineRunner runner = new EngineRunner(List.of(new SlowEngine()), Duration.ofMillis(100), 1);
        try {
            List<Finding> all = runner.run(INPUT).stream().flatMap(r -> r.findings().stream()).toList();
            Action action = new PolicyEvaluator().evaluate(all, DefaultPolicy.SNAPSHOT).action();
            assertEquals(Action.QUARANTINE, action);
        } finally {
            runner.close();
        }
    }

    @Test
    void nullResultOrFailedStatusWithoutFindingIsMadeAnExplicitFailure() {
        ScanEngine nothing = engine("nothing", "NOTHING_FAIL", in -> null);
        ScanEngine liar = engine("liar", "LIAR_FAIL", in -> new EngineResult("liar", EngineResult.Status.FAILED,
                List.of()));
        EngineRunner runner = new EngineRunner(List.of(nothing, liar), Duration.ofSeconds(5), 2);
        try {
            List<EngineResult> results = runner.run(INPUT);
            assertEquals("LIAR_FAIL", results.get(0).findings().get(0).symbol());
            assertEquals("NOTHING_FAIL", results.get(1).findings().get(0).symbol());
            results.forEach(r -> assertEquals(Category.FAILURE, r.findings().get(0).category()));
        } finally {
            runner.close();
        }
    }

    @Test
    void duplicateEngineNamesOrMissingFailureSymbolFailAtStartup() {
        assertThrows(IllegalStateException.class, () -> new EngineRunner(
                List.of(new FailingEngine(), new FailingEngine()), Duration.ofSeconds(1), 1));
        assertThrows(IllegalStateException.class, () -> new EngineRunner(
                List.of(engine("x", " ", in -> null)), Duration.ofSeconds(1), 1));
        assertThrows(IllegalStateException.class, () -> new EngineRunner(List.of(), Duration.ofSeconds(1), 1));
    }

    @Test
    void realEnginesExposeTheirFailureSymbols() {
        assertEquals("AV_FAIL", new SignatureEngine(List.of()).failureSymbol());
        assertEquals("SPAM_FAIL", new GtubeEngine().failureSymbol());
        assertEquals("ATTACHMENT_FAIL", new BlockedAttachmentEngine(() -> DefaultPolicy.SNAPSHOT).failureSymbol());
    }

    @Test
    void signatureAndGtubeEngineFailuresBecomeAvFailAndSpamFail() {
        SignatureEngine eicar = new SignatureEngine(List.of()) {
            @Override
            public EngineResult scan(ScanInput input) {
                super.scan(input);
                throw new OutOfMemoryError("simulated");
            }
        };
        GtubeEngine gtube = new GtubeEngine() {
            @Override
            public EngineResult scan(ScanInput input) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.scan(input);
            }
        };
        EngineRunner runner = new EngineRunner(List.of(eicar, gtube), Duration.ofMillis(500), 2);
        try {
            List<EngineResult> results = runner.run(INPUT);
            assertEquals("AV_FAIL", results.get(0).findings().get(0).symbol());
            assertEquals(EngineResult.Status.FAILED, results.get(0).status());
            assertEquals("SPAM_FAIL", results.get(1).findings().get(0).symbol());
            assertEquals(EngineResult.Status.TIMEOUT, results.get(1).status());
            List<Finding> all = results.stream().flatMap(r -> r.findings().stream()).toList();
            assertEquals(Action.QUARANTINE, new PolicyEvaluator().evaluate(all, DefaultPolicy.SNAPSHOT).action());
        } finally {
            runner.close();
        }
    }

    @Test
    void blockedAttachmentEngineFailingOnPolicyBecomesAttachmentFail() {
        BlockedAttachmentEngine broken = new BlockedAttachmentEngine(() -> {
            throw new IllegalStateException("no policy");
        });
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            EngineResult r = runner.run(new ScanInput("m", null,
                    List.of(new ScanItem("part/2", "a.exe", null, 1, new byte[0])))).get(0);
            assertEquals("ATTACHMENT_FAIL", r.findings().get(0).symbol());
            assertEquals(Category.FAILURE, r.findings().get(0).category());
        } finally {
            runner.close();
        }
    }
}
