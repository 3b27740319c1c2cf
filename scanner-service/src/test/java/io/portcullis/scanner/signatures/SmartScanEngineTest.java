package io.portcullis.scanner.signatures;

import static io.portcullis.scanner.support.Bundles.ascii;
import static io.portcullis.scanner.support.TestMessages.EICAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.SignatureEngine;
import io.portcullis.scanner.support.Bundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The antivirus engine with Smart Scan: local body signatures, whole-file hashes from the central service. */
class SmartScanEngineTest {
    private static final byte[] CENTRAL_KNOWN = Bundles.random(99, 3000);
    private final AtomicBoolean centralDown = new AtomicBoolean();
    private final List<Integer> requestSizes = new ArrayList<>();
    private final SmartScan smart = new SmartScan(true, files -> {
        requestSizes.add(files.size());
        if (centralDown.get()) {
            throw new IllegalStateException("connection refused");
        }
        String known = Bundles.sha256(CENTRAL_KNOWN);
        return new HashReputation.Response("c1", files.stream().map(f -> f.sha256().equals(known)
                ? new HashReputation.Result(f.sha256(), "MALICIOUS", "Win.Trojan.Central-1", "TROJAN")
                : new HashReputation.Result(f.sha256(), "UNKNOWN", null, null)).toList());
    }, 1000, Duration.ofHours(1));

    private static ScanInput input(byte[]... contents) {
        List<ScanItem> items = new ArrayList<>();
        items.add(new ScanItem("raw", null, null, 0, ascii("Subject: x\r\n\r\nhello\r\n")));
        for (int i = 0; i < contents.length; i++) {
            items.add(new ScanItem("part/" + (i + 2), null, null, 1, contents[i]));
        }
        items.add(new ScanItem("part/9", null, null, 1, null));
        items.add(new ScanItem("part/10", null, null, 1, new byte[0]));
        return new ScanInput("m", null, items);
    }

    private SignatureEngine engine(List<Path> dirs) {
        SignatureSetFactory factory = new SignatureSetFactory(dirs, false);
        return new SignatureEngine(new SignatureHolder(factory.startup(), null), smart);
    }

    @Test
    void maliciousAnswerIsTheSameAvFindingAsALocalHashHit() {
        EngineResult r = engine(List.of()).scan(input(CENTRAL_KNOWN, ascii("clean")));
        assertEquals(List.of(new Finding("AV_TROJAN", Category.VIRUS, 0,
                "Win.Trojan.Central-1 in part/2 (smart scan)")), r.findings());
        assertEquals("base", r.version());
        assertEquals(List.of(2), requestSizes,
                "one request for the non-empty items of the message, without the raw message (unique per message)");
    }

    @Test
    void eicarIsStillFoundLocallyByItsBodySignatureWithoutHashDatabases() {
        SignatureEngine engine = engine(List.of());
        EngineResult r = engine.scan(input(ascii(EICAR)));
        assertEquals(List.of(new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in part/2")),
                r.findings());
    }

    @Test
    void centralFailureIsAFailureFindingNeverClean() {
        centralDown.set(true);
        EngineResult r = engine(List.of()).scan(input(CENTRAL_KNOWN, ascii(EICAR)));
        assertEquals(EngineResult.Status.OK, r.status());
        assertEquals(2, r.findings().size(), r.findings().toString());
        assertEquals(new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in part/3"),
                r.findings().get(0), "local body signatures still work");
        Finding fail = r.findings().get(1);
        assertEquals(SignatureEngine.SMART_SCAN_FAIL_SYMBOL, fail.symbol());
        assertEquals(Category.FAILURE, fail.category());
        assertEquals("central hash reputation unavailable (IllegalStateException: connection refused): 2 items not "
                + "checked by hash: part/2, part/3", fail.detail());
    }

    @Test
    void hashDatabasesAreLeftToTheCentralServiceButBodySignaturesLoad(@TempDir Path dir) throws Exception {
        byte[] hashOnly = Bundles.random(5, 2000);
        byte[] body = Bundles.random(6, 2000);
        Files.writeString(dir.resolve("local.hdb"), Bundles.hdb("Win.Trojan.LocalHash-1", hashOnly));
        Files.writeString(dir.resolve("local.ndb"),
                Bundles.ndb("Win.Trojan.LocalBody-1", java.util.Arrays.copyOfRange(body, 100, 140)));
        SignatureEngine full = new SignatureEngine(List.of(dir));
        assertEquals(List.of("Win.Trojan.LocalHash-1 in part/2", "Win.Trojan.LocalBody-1 in part/3"),
                full.scan(input(hashOnly, body)).findings().stream().map(Finding::detail).toList());
        EngineResult smartResult = engine(List.of(dir)).scan(input(hashOnly, body));
        assertEquals(List.of("Win.Trojan.LocalBody-1 in part/3"),
                smartResult.findings().stream().map(Finding::detail).toList(),
                "the local hash database is not loaded with Smart Scan (the central service holds the hashes)");
        assertTrue(smartResult.version().startsWith("local-"), smartResult.version());
    }
}
