package io.portcullis.scanner.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.support.TestMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The rescan with stand-in engines: which engines run, what counts as a threat, failures and their retries. */
class ReleaseRescannerTest {
    private static final Envelope ENVELOPE = new Envelope("a@example.net", List.of("b@example.com"), "h", "192.0.2.1",
            false);
    private static final byte[] MESSAGE = TestMessages.plain("hello", "just text");

    /** An engine with a given name whose result the test scripts per call. */
    static final class Scripted implements ScanEngine {
        final String name;
        final Function<Integer, EngineResult> result;
        final AtomicInteger calls = new AtomicInteger();

        Scripted(String name, Function<Integer, EngineResult> result) {
            this.name = name;
            this.result = result;
        }

        static Scripted clean(String name) {
            return new Scripted(name, n -> EngineResult.ok(name, List.of()));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String failureSymbol() {
            return name.toUpperCase() + "_FAIL";
        }

        @Override
        public EngineResult scan(ScanInput input) {
            return result.apply(calls.incrementAndGet());
        }
    }

    private static ReleaseRescanner rescanner(List<ScanEngine> engines, int attempts) {
        return new ReleaseRescanner(new MessageDecomposer(DecompositionLimits.DEFAULTS),
                new EngineRunner(engines, Duration.ofSeconds(5), 4), List.of(Category.VIRUS, Category.GRAYWARE),
                attempts, Duration.ofMillis(10));
    }

    private static RescanOutcome rescan(ReleaseRescanner r) {
        return r.rescan("M1.rabc", "default", ENVELOPE, MESSAGE, List.of());
    }

    @Test
    void runsOnlyTheThreatEnginesNotSpamOrSenderEngines() {
        Scripted av = Scripted.clean("antivirus");
        Scripted macro = Scripted.clean("macro");
        Scripted gtube = new Scripted("gtube", n -> EngineResult.ok("gtube",
                List.of(new Finding("GTUBE", Category.SPAM, 1000, "test"))));
        Scripted senders = Scripted.clean("sender-lists");
        RescanOutcome out = rescan(rescanner(List.of(av, macro, gtube, senders), 3));
        assertEquals(RescanOutcome.Result.CLEAN, out.result());
        assertEquals(1, av.calls.get());
        assertEquals(1, macro.calls.get());
        assertEquals(0, gtube.calls.get(), "spam engines are what the release overrode");
        assertEquals(0, senders.calls.get());
        assertEquals(1, out.scans());
        assertEquals("hello", out.subject());
    }

    @Test
    void virusFindingIsAThreatAndRecordsTheSignatureVersion() {
        Scripted av = new Scripted("antivirus", n -> EngineResult.ok("antivirus",
                List.of(new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature")), "20260101"));
        RescanOutcome out = rescan(rescanner(List.of(av), 3));
        assertEquals(RescanOutcome.Result.THREAT, out.result());
        assertEquals("20260101", out.engineVersions().get("antivirus"));
    }

    @Test
    void activeContentAloneIsNotAThreatByDefault() {
        Scripted macro = new Scripted("macro", n -> EngineResult.ok("macro",
                List.of(new Finding("MACRO_AUTOEXEC", Category.ACTIVE_CONTENT, 0, "doc"))));
        RescanOutcome out = rescan(rescanner(List.of(Scripted.clean("antivirus"), macro), 3));
        assertEquals(RescanOutcome.Result.CLEAN, out.result());
        assertTrue(out.findings().stream().anyMatch(f -> f.symbol().equals("MACRO_AUTOEXEC")), "still recorded");
    }

    @Test
    void engineThatKeepsFailingIsRetriedThenUnscannableNeverClean() {
        Scripted av = new Scripted("antivirus", n -> {
            throw new IllegalStateException("signature database corrupt");
        });
        RescanOutcome out = rescan(rescanner(List.of(av, Scripted.clean("filetype")), 3));
        assertEquals(RescanOutcome.Result.UNSCANNABLE, out.result());
        assertEquals(3, av.calls.get(), "three scans");
        assertEquals(3, out.scans());
        assertTrue(out.findings().stream().anyMatch(f -> f.symbol().equals("ANTIVIRUS_FAIL")
                && f.category() == Category.FAILURE), out.findings().toString());
    }

    @Test
    void engineThatTimesOutIsUnscannable() {
        Scripted slow = new Scripted("clamd", n -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return EngineResult.ok("clamd", List.of());
        });
        ReleaseRescanner r = new ReleaseRescanner(new MessageDecomposer(DecompositionLimits.DEFAULTS),
                new EngineRunner(List.of(slow), Duration.ofMillis(200), 2), List.of(Category.VIRUS), 1,
                Duration.ofMillis(10));
        RescanOutcome out = rescan(r);
        assertEquals(RescanOutcome.Result.UNSCANNABLE, out.result());
        assertTrue(out.findings().stream().anyMatch(f -> f.symbol().equals("CLAMD_FAIL")));
    }

    @Test
    void engineThatFailsOnceIsRetriedAndThenCountsAsClean() {
        Scripted av = new Scripted("antivirus", n -> n == 1
                ? EngineResult.failed("antivirus", EngineResult.Status.FAILED, "AV_FAIL", "boom")
                : EngineResult.ok("antivirus", List.of()));
        RescanOutcome out = rescan(rescanner(List.of(av), 3));
        assertEquals(RescanOutcome.Result.CLEAN, out.result());
        assertEquals(2, out.scans());
        assertFalse(out.findings().stream().anyMatch(f -> f.category() == Category.FAILURE),
                "only the last scan's findings count: " + out.findings());
    }

    @Test
    void threatFoundBesideAFailureIsAThreatWithoutWaitingForRetries() {
        Scripted av = new Scripted("antivirus", n -> EngineResult.ok("antivirus",
                List.of(new Finding("AV_TEST", Category.VIRUS, 0, "x"))));
        Scripted clamd = new Scripted("clamd", n -> EngineResult.failed("clamd", EngineResult.Status.FAILED,
                "CLAMD_FAIL", "down"));
        RescanOutcome out = rescan(rescanner(List.of(av, clamd), 3));
        assertEquals(RescanOutcome.Result.THREAT, out.result());
        assertEquals(1, out.scans());
    }

    @Test
    void failureFindingOfTheBodyLimitIsUnscannable() {
        RescanOutcome out = rescanner(List.of(Scripted.clean("antivirus")), 3).rescan("M1.rabc", "default",
                ENVELOPE, MESSAGE, List.of(new Finding("MIME_LIMIT", Category.FAILURE, 0, "cut")));
        assertEquals(RescanOutcome.Result.UNSCANNABLE, out.result());
        assertEquals(1, out.scans(), "a limit is not retried");
    }

    @Test
    void anEngineNotClassifiedForTheRescanFailsStartUp() {
        List<ScanEngine> engines = new ArrayList<>(List.of(Scripted.clean("antivirus"), Scripted.clean("new-engine")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rescanner(engines, 3));
        assertTrue(e.getMessage().contains("new-engine"), e.getMessage());
    }

    @Test
    void withoutAnyThreatEngineStartUpFails() {
        assertThrows(IllegalStateException.class, () -> rescanner(List.of(Scripted.clean("gtube")), 3));
    }
}
