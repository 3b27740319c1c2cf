package io.portcullis.scanner.signatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.SignatureEngine;
import io.portcullis.scanner.support.Bundles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every version k of the set knows all markers, under names {@code V<k>.Test.Marker-<j>}: a scan that mixed two sets
 * (e.g. read the holder per item) would report names of two versions, or miss markers.
 */
class SignatureHolderSwapTest {
    private static final int MARKERS = 12;
    private static final int VERSIONS = 21; // the start set v0 and 20 swaps

    private static byte[] marker(int j) {
        return ("PORTCULLIS-SWAP-MARKER-" + j + "-END").getBytes(StandardCharsets.US_ASCII);
    }

    private static LoadedSignatures version(SignatureSetFactory factory, int k) throws Exception {
        StringBuilder ndb = new StringBuilder();
        for (int j = 0; j < MARKERS; j++) {
            ndb.append(Bundles.ndb("V" + k + ".Test.Marker-" + j, marker(j)));
        }
        BundleRef ref = new BundleRef("v" + k, Bundles.BUCKET, "bundles/v" + k + ".tar", "00".repeat(32), 1,
                "publish");
        return factory.withBundle(ref, List.of(new BundleFile("markers.ndb", Bundles.ascii(ndb.toString()))));
    }

    private static ScanInput message() {
        List<ScanItem> items = new ArrayList<>();
        for (int j = 0; j < MARKERS; j++) {
            byte[] content = Bundles.random(j, 96 * 1024);
            byte[] m = marker(j);
            System.arraycopy(m, 0, content, 50_000, m.length);
            items.add(new ScanItem("part/" + (j + 1), null, null, 1, content));
        }
        return new ScanInput("swap-test", null, items);
    }

    @Test
    void everyScanUsesExactlyOneCompleteSetAndRecordsItsVersionWhile20SwapsHappen() throws Exception {
        SignatureSetFactory factory = new SignatureSetFactory(List.of(), true);
        List<LoadedSignatures> sets = new ArrayList<>();
        for (int k = 0; k < VERSIONS; k++) {
            sets.add(version(factory, k));
        }
        SignatureHolder holder = new SignatureHolder(sets.get(0), null);
        SignatureEngine engine = new SignatureEngine(holder, SmartScan.DISABLED);
        ScanInput input = message();

        AtomicBoolean swapping = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> scansPerVersion = new ConcurrentHashMap<>();
        CountDownLatch scanning = new CountDownLatch(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> scanners = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            scanners.add(pool.submit(() -> {
                scanning.countDown();
                do {
                    EngineResult r = engine.scan(input);
                    Set<String> versions = r.findings().stream().map(Finding::detail)
                            .map(d -> "v" + d.substring(1, d.indexOf('.'))).collect(Collectors.toSet());
                    if (r.findings().size() != MARKERS || versions.size() != 1
                            || !versions.contains(r.version())) {
                        problems.add("result version " + r.version() + ", " + r.findings().size()
                                + " findings from versions " + versions);
                    }
                    scansPerVersion.computeIfAbsent(r.version(), v -> new AtomicInteger()).incrementAndGet();
                } while (swapping.get());
                return null;
            }));
        }
        assertTrue(scanning.await(10, TimeUnit.SECONDS));
        for (int k = 1; k < VERSIONS; k++) {
            Thread.sleep(15);
            holder.swap(sets.get(k));
        }
        Thread.sleep(15);
        swapping.set(false);
        for (Future<?> f : scanners) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(0, problems.size(), "scans that saw a mixed or incomplete set, e.g. "
                + problems.stream().limit(3).toList());
        assertEquals(20, holder.swaps());
        assertEquals("v20", holder.current().version());
        assertTrue(scansPerVersion.size() >= 2, "scans ran across swaps: " + scansPerVersion);
        assertTrue(scansPerVersion.containsKey("v20"), "the last set is used once swapped in: " + scansPerVersion);
    }
}
