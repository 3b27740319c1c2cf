package io.portcullis.scanner.signatures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.av.SignatureStats;
import io.portcullis.scanner.support.Bundles;
import io.portcullis.scanner.support.InMemoryBodyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the memory Smart Scan saves (prints, asserts nothing about memory): a generated bundle of 200,000 hash
 * signatures (150,000 MD5 {@code .hdb}, 50,000 SHA-256 {@code .hsb}) and 20,000 body signatures ({@code .ndb}),
 * loaded through the real reader and factory fully and without hashes. Heap is measured after GC, with the bundle
 * files themselves held in both measurements. Run on demand:
 * {@code mvn -o -B -q -pl scanner-service test -Dtest=SmartScanMemoryReport -Dportcullis.memory-report=true
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "portcullis.memory-report", matches = "true")
class SmartScanMemoryReport {
    private static final int MD5 = 150_000;
    private static final int SHA256 = 50_000;
    private static final int BODIES = 20_000;

    @Test
    void printHeapOfAFullSetAndOfASmartScanSet() throws Exception {
        Random random = new Random(20261127);
        HexFormat hex = HexFormat.of();
        StringBuilder hdb = new StringBuilder();
        for (int i = 0; i < MD5; i++) {
            byte[] h = new byte[16];
            random.nextBytes(h);
            hdb.append(hex.formatHex(h)).append(':').append(1000 + random.nextInt(5_000_000)).append(":Win.Trojan.Gen-")
                    .append(i).append('\n');
        }
        StringBuilder hsb = new StringBuilder();
        for (int i = 0; i < SHA256; i++) {
            byte[] h = new byte[32];
            random.nextBytes(h);
            hsb.append(hex.formatHex(h)).append(':').append(1000 + random.nextInt(5_000_000))
                    .append(":Win.Worm.Gen-").append(i).append('\n');
        }
        StringBuilder ndb = new StringBuilder();
        for (int i = 0; i < BODIES; i++) {
            byte[] b = new byte[16 + random.nextInt(49)];
            random.nextBytes(b);
            String body = hex.formatHex(b);
            int mid = 2 * (4 + random.nextInt(b.length - 8));
            int kind = random.nextInt(10);
            if (kind < 3) {
                body = body.substring(0, mid) + "??" + body.substring(mid + 2);
            } else if (kind < 4) {
                body = body.substring(0, mid) + "{2-8}" + body.substring(mid);
            }
            ndb.append("Win.Trojan.Body-").append(i).append(":0:*:").append(body).append('\n');
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("generated.hdb", Bundles.ascii(hdb.toString()));
        files.put("generated.hsb", Bundles.ascii(hsb.toString()));
        files.put("generated.ndb", Bundles.ascii(ndb.toString()));
        byte[] tar = Bundles.tar(files);
        InMemoryBodyStore store = new InMemoryBodyStore();
        store.put(Bundles.BUCKET, Bundles.key("mem1"), tar);
        BundleRef ref = Bundles.ref("mem1", tar, "publish");
        List<BundleFile> bundle = new SignatureBundleReader(store, 1L << 30).read(ref).files();
        tar = null;
        store.clear();

        long before = usedAfterGc();
        LoadedSignatures full = new SignatureSetFactory(List.of(), true).withBundle(ref, bundle);
        long fullHeap = usedAfterGc() - before;
        SignatureStats fullStats = full.set().stats();
        assertEquals(MD5 + 1, fullStats.md5Hashes());
        full = null;

        before = usedAfterGc();
        LoadedSignatures smart = new SignatureSetFactory(List.of(), false).withBundle(ref, bundle);
        long smartHeap = usedAfterGc() - before;
        SignatureStats smartStats = smart.set().stats();
        assertEquals(0, smartStats.md5Hashes());
        assertEquals(fullStats.bodySignatures(), smartStats.bodySignatures());

        System.out.printf("%nSmart Scan memory (bundle %d bytes: %d MD5 + %d SHA-256 hashes, %d body signatures)%n",
                ref.size(), MD5, SHA256, BODIES);
        System.out.printf("%-28s %14s %18s %10s %10s %8s%n", "set", "heap after GC", "approximateBytes", "hashes",
                "bodies", "states");
        row("full (hashes local)", fullHeap, fullStats);
        row("Smart Scan (withoutHashes)", smartHeap, smartStats);
        System.out.printf("saved: %.1f MB of heap (%.0f%%), %.1f MB by the engine's estimate%n%n",
                (fullHeap - smartHeap) / 1e6, 100.0 * (fullHeap - smartHeap) / fullHeap,
                (fullStats.approximateBytes() - smartStats.approximateBytes()) / 1e6);
        java.lang.ref.Reference.reachabilityFence(smart);
        java.lang.ref.Reference.reachabilityFence(bundle);
    }

    private static void row(String name, long heap, SignatureStats st) {
        System.out.printf("%-28s %11.1f MB %15.1f MB %10d %10d %8d%n", name, heap / 1e6, st.approximateBytes() / 1e6,
                st.md5Hashes() + st.sha1Hashes() + st.sha256Hashes(), st.bodySignatures(), st.automatonStates());
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
