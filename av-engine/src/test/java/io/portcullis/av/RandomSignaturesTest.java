package io.portcullis.av;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** 20,000 generated signatures against random data with planted matches, checked against a naive reference matcher. */
class RandomSignaturesTest {
    private static final int SIGNATURES = 20_000;

    /** kind: 0 byte (value/mask), 1 alternatives, 2 gap [min,max]. */
    record El(int kind, int value, int mask, byte[][] options, int min, int max) {
    }

    record Sig(String name, List<El> els) {
    }

    private static Sig generate(Random r, int i) {
        List<El> els = new ArrayList<>();
        for (int k = 0; k < 5; k++) els.add(new El(0, r.nextInt(256), 0xFF, null, 0, 0)); // the anchor: the longest fixed run
        int extra = r.nextInt(5);
        for (int k = 0; k < extra; k++) {
            switch (r.nextInt(6)) {
                case 0 -> els.add(new El(0, 0, 0, null, 0, 0));
                case 1 -> els.add(new El(0, r.nextInt(16) << 4, 0xF0, null, 0, 0));
                case 2 -> els.add(new El(0, r.nextInt(16), 0x0F, null, 0, 0));
                case 3 -> {
                    int len = 1 + r.nextInt(2);
                    byte[][] opts = new byte[2 + r.nextInt(2)][len];
                    for (byte[] o : opts) r.nextBytes(o);
                    els.add(new El(1, 0, 0, opts, 0, 0));
                }
                case 4 -> {
                    int min = r.nextInt(4);
                    els.add(new El(2, 0, 0, null, min, min + r.nextInt(4)));
                }
                default -> els.add(new El(0, r.nextInt(256), 0xFF, null, 0, 0));
            }
            if (els.get(els.size() - 1).kind == 2) els.add(new El(0, r.nextInt(256), 0xFF, null, 0, 0));
        }
        return new Sig("Rand.Sig-" + i, els);
    }

    private static String hex(Sig s) {
        StringBuilder b = new StringBuilder();
        for (El e : s.els) {
            switch (e.kind) {
                case 0 -> {
                    b.append((e.mask & 0xF0) != 0 ? Character.forDigit(e.value >> 4, 16) : '?');
                    b.append((e.mask & 0x0F) != 0 ? Character.forDigit(e.value & 0xF, 16) : '?');
                }
                case 1 -> {
                    b.append('(');
                    for (int o = 0; o < e.options.length; o++) b.append(o > 0 ? "|" : "").append(TestSets.hex(e.options[o]));
                    b.append(')');
                }
                default -> b.append('{').append(e.min).append('-').append(e.max).append('}');
            }
        }
        return b.toString();
    }

    /** Writes one concrete instance of the signature at pos; returns its length. */
    private static int plant(Random r, Sig s, byte[] data, int pos) {
        int p = pos;
        for (El e : s.els) {
            switch (e.kind) {
                case 0 -> data[p++] = (byte) ((e.value & e.mask) | (r.nextInt(256) & ~e.mask));
                case 1 -> {
                    byte[] o = e.options[r.nextInt(e.options.length)];
                    System.arraycopy(o, 0, data, p, o.length);
                    p += o.length;
                }
                default -> p += e.min + r.nextInt(e.max - e.min + 1);
            }
        }
        return p - pos;
    }

    /** Naive reference: does the element list match at pos (backtracking over gaps)? */
    private static boolean matchAt(List<El> els, int idx, byte[] d, int pos) {
        if (idx == els.size()) return true;
        El e = els.get(idx);
        switch (e.kind) {
            case 0:
                return pos < d.length && ((d[pos] ^ e.value) & e.mask) == 0 && matchAt(els, idx + 1, d, pos + 1);
            case 1:
                for (byte[] o : e.options) {
                    if (pos + o.length <= d.length && java.util.Arrays.equals(d, pos, pos + o.length, o, 0, o.length)
                        && matchAt(els, idx + 1, d, pos + o.length)) return true;
                }
                return false;
            default:
                for (int g = e.min; g <= e.max; g++) if (matchAt(els, idx + 1, d, pos + g)) return true;
                return false;
        }
    }

    @Test
    void twentyThousandSignaturesAgreeWithNaiveReference() throws Exception {
        Random r = new Random(20_000);
        List<Sig> sigs = new ArrayList<>();
        StringBuilder db = new StringBuilder();
        for (int i = 0; i < SIGNATURES; i++) {
            Sig s = generate(r, i);
            sigs.add(s);
            db.append(s.name).append(":0:*:").append(hex(s)).append('\n');
        }
        long t0 = System.nanoTime();
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
            .load("random.ndb", db.toString().getBytes(StandardCharsets.ISO_8859_1)).build();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        SignatureStats stats = set.stats();
        System.out.printf("20k ndb: load %d ms, %d automaton states, ~%d KiB tables, max span %d%n",
            loadMs, stats.automatonStates(), stats.approximateBytes() / 1024, stats.maxPatternSpan());
        assertEquals(SIGNATURES, stats.bodySignatures());
        assertEquals(SIGNATURES, stats.bodyParts());
        assertEquals(java.util.Map.of("ndb", SIGNATURES), stats.signaturesByFormat());
        assertTrue(stats.automatonStates() > SIGNATURES * 9 / 10 && stats.automatonStates() <= SIGNATURES * AnchorIndex.STRIDE, "anchor keys " + stats.automatonStates());
        assertTrue(stats.approximateBytes() < 16L << 20, "tables " + stats.approximateBytes());

        byte[] data = new byte[1 << 18];
        r.nextBytes(data);
        for (int k = 0; k < 300; k++) {
            int pos = r.nextInt(data.length - 64);
            plant(r, sigs.get(r.nextInt(SIGNATURES)), data, pos);
        }
        // naive reference, indexed by first byte only to keep the test fast
        List<List<Integer>> byFirst = new ArrayList<>();
        for (int b = 0; b < 256; b++) byFirst.add(new ArrayList<>());
        for (int i = 0; i < SIGNATURES; i++) byFirst.get(sigs.get(i).els.get(0).value).add(i);
        long[] first = new long[SIGNATURES];
        java.util.Arrays.fill(first, -1);
        for (int pos = 0; pos < data.length; pos++) {
            for (int i : byFirst.get(data[pos] & 0xFF)) {
                if (first[i] < 0 && matchAt(sigs.get(i).els, 0, data, pos)) first[i] = pos;
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SIGNATURES; i++) if (first[i] >= 0) expected.add(sigs.get(i).name + "@" + first[i]);
        java.util.Collections.sort(expected);
        assertTrue(expected.size() >= 250, "planted matches found by the reference: " + expected.size());

        long t1 = System.nanoTime();
        List<Match> whole = set.scan(data);
        long scanNs = System.nanoTime() - t1;
        System.out.printf("20k ndb: scanned %d KiB in %d ms (cold)%n", data.length / 1024, scanNs / 1_000_000);
        List<String> actual = new ArrayList<>(whole.stream().map(m -> m.signature() + "@" + m.offset()).toList());
        java.util.Collections.sort(actual);
        assertEquals(expected, actual);

        ScanSession s = set.newSession();
        for (int p = 0; p < data.length; ) {
            int n = Math.min(data.length - p, 1 + r.nextInt(700));
            s.update(data, p, n);
            p += n;
        }
        assertEquals(whole, s.finish(), "random chunking");
    }
}
