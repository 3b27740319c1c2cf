package io.portcullis.av;

import static io.portcullis.av.TestSets.EICAR;
import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ThreadSafetyTest {

    @Test
    void manyThreadsSharingOneSetGetIdenticalResults() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
            .load("t.ndb", bytes("Eicar-Test-Signature:0:*:" + TestSets.hex(EICAR) + "\nGap:0:*:4142{1-9}4344\nStar:0:*:5152*5354\n"))
            .load("t.hdb", bytes(digest("MD5", bytes(EICAR)) + ":68:Eicar-MD5\n"))
            .build();
        Random r = new Random(7);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] d = new byte[20_000 + r.nextInt(20_000)];
            r.nextBytes(d);
            if (i % 2 == 0) System.arraycopy(bytes(EICAR), 0, d, r.nextInt(d.length - 68), 68);
            if (i % 3 == 0) System.arraycopy(bytes("ABxxxxCD"), 0, d, r.nextInt(d.length - 8), 8);
            if (i % 5 == 0) { d[10] = 'Q'; d[11] = 'R'; d[d.length - 2] = 'S'; d[d.length - 1] = 'T'; }
            inputs.add(d);
        }
        inputs.add(bytes(EICAR));
        List<List<Match>> expected = new ArrayList<>();
        for (byte[] d : inputs) expected.add(set.scan(d));
        assertFalse(expected.get(0).isEmpty());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<List<Match>>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random cr = new Random(seed);
                    List<List<Match>> out = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        out.clear();
                        for (byte[] d : inputs) {
                            ScanSession s = set.newSession();
                            for (int p = 0; p < d.length; ) {
                                int n = Math.min(d.length - p, 1 + cr.nextInt(4096));
                                s.update(d, p, n);
                                p += n;
                            }
                            out.add(s.finish());
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<List<Match>>> f : futures) assertEquals(expected, f.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
