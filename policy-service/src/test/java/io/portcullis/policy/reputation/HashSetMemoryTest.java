package io.portcullis.policy.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureSet;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the hash-reputation set costs in memory for 200,000 hashes, by av-engine's own estimate and by the live heap
 * (printed; the heap figure is approximate because it depends on the collector).
 */
class HashSetMemoryTest {
    private static final int HASHES = 200_000;

    private static SignatureSet build(int hexDigits, String file, long seed) throws Exception {
        Random random = new Random(seed);
        byte[] digest = new byte[hexDigits / 2];
        StringBuilder lines = new StringBuilder(HASHES * (hexDigits + 40));
        for (int i = 0; i < HASHES; i++) {
            random.nextBytes(digest);
            lines.append(HexFormat.of().formatHex(digest)).append(':').append(1000 + random.nextInt(5_000_000))
                    .append(":Win.Trojan.Agent-").append(1_000_000 + i).append("-0\n");
        }
        return SignatureSet.builder(LoadOptions.strictOptions())
                .load(file, lines.toString().getBytes(StandardCharsets.US_ASCII)).build();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void measure(String label, int hexDigits, String file) throws Exception {
        long before = usedHeap();
        SignatureSet set = build(hexDigits, file, hexDigits);
        long after = usedHeap();
        long estimate = set.stats().approximateBytes();
        System.out.printf("hash reputation, %d %s hashes: av-engine estimate %.1f MiB (%.0f bytes/hash), "
                + "heap delta %.1f MiB%n", HASHES, label, estimate / 1048576.0, (double) estimate / HASHES,
                (after - before) / 1048576.0);
        assertEquals(HASHES, set.stats().md5Hashes() + set.stats().sha256Hashes());
        assertTrue(estimate < 120L * HASHES, "under 120 bytes per hash, name included: " + estimate);
    }

    @Test
    void twoHundredThousandMd5Hashes() throws Exception {
        measure("MD5", 32, "mem.hdb");
    }

    @Test
    void twoHundredThousandSha256Hashes() throws Exception {
        measure("SHA-256", 64, "mem.hsb");
    }
}
