package io.portcullis.av;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The prefilter that finds anchor candidates (replaces the Aho–Corasick automaton). Every part's anchor (its longest
 * wildcard-free run) is keyed by short windows inside it, in one of two tiers that look at every s-th position only
 * (absolute offsets divisible by the tier's stride s) and index each anchor under s consecutive windows, so that
 * whatever its alignment exactly one window of an occurrence falls on a looked-at position:
 * <ul>
 *   <li>{@link #LONG}: anchors of 7+ bytes, 4-byte windows, stride 4. Keys go into a two-hash Bloom filter of 48 to
 *       96 bits per key (under 0.5 % false positives for well-spread data, a few hundred KiB to 1 MiB).</li>
 *   <li>{@link #SHORT}: anchors of 2 to 6 bytes, 2-byte windows (a direct 65,536-bit map), stride = shortest such
 *       anchor - 1, at most 4 (so 1 only when some anchor is just 2 bytes).</li>
 * </ul>
 * Only where the bit is set the key table is probed and the whole anchor compared. Windows are chosen to avoid common
 * bytes (zeros, 0xFF, spaces, text) and keys already used by other anchors. Candidates are handled in window-position
 * order, so parts of a multi-part signature are seen in the order they occur.
 */
final class AnchorIndex {
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final int STRIDE = 4;
    static final int LONG = 0, SHORT = 1;
    /** Anchors at least this long use 4-byte windows. */
    static final int LONG_ANCHOR = 4 + STRIDE - 1;
    private static final int MULT = 0x9E3779B1;
    private static final int MULT2 = 0x7FEB352D;

    /** Tiers by number; a tier without anchors is null. */
    final Tier[] tiers;

    private AnchorIndex(Tier[] tiers) {
        this.tiers = tiers;
    }

    /** One tier: key width, stride, filter bitmap, key table and its entries (part, window start inside the anchor). */
    static final class Tier {
        final int width;
        final int stride;
        final long[] filter;
        /** 32 - log2(filter bits) for hashed 4-byte keys; unused for 2-byte keys (direct index). */
        final int shift;
        final KeyTable table;
        final int[] entryPart;
        final int[] entryDelta;

        Tier(int width, int stride, long[] filter, int shift, KeyTable table, int[] entryPart, int[] entryDelta) {
            this.width = width;
            this.stride = stride;
            this.filter = filter;
            this.shift = shift;
            this.table = table;
            this.entryPart = entryPart;
            this.entryDelta = entryDelta;
        }

        long approximateBytes() {
            return 64 + 8L * filter.length + table.approximateBytes() + 8L * entryPart.length;
        }
    }

    /** Distinct keys over all tiers. */
    int keys() {
        int n = 0;
        for (Tier t : tiers) if (t != null) n += t.table.size();
        return n;
    }

    long approximateBytes() {
        long n = 32;
        for (Tier t : tiers) if (t != null) n += t.approximateBytes();
        return n;
    }

    static int hash4(int key, int shift) {
        return (key * MULT) >>> shift;
    }

    /** Second, independent hash: a key passes the filter only when both its bits are set (a two-hash Bloom filter). */
    static int hash4b(int key, int shift) {
        return ((key ^ (key >>> 15)) * MULT2) >>> shift;
    }

    /** Whether a 4-byte key passes a tier's filter. */
    static boolean mayContain4(long[] f, int shift, int key) {
        int h = hash4(key, shift);
        if ((f[h >>> 6] & (1L << h)) == 0) return false;
        int g = hash4b(key, shift);
        return (f[g >>> 6] & (1L << g)) != 0;
    }

    /** Builds the index over the parts' anchors. */
    static AnchorIndex build(Part[] parts) {
        if (parts.length >= 1 << 24) throw new IllegalStateException("too many signature parts: " + parts.length);
        int shortest = LONG_ANCHOR;
        for (Part p : parts) shortest = Math.min(shortest, p.anchorLength);
        int[] stride = {STRIDE, Math.max(1, Math.min(STRIDE, shortest - 1))};
        int[] width = {4, 2};
        long[][] entries = {new long[16], new long[16]};
        int[] count = new int[2];
        int[] delta = new int[parts.length];
        // how often a key (by hash bucket: approximate is good enough) was already chosen, per tier
        int[][] load = {new int[1 << 16], new int[1 << 16]};
        for (int p = 0; p < parts.length; p++) {
            Part part = parts[p];
            byte[] v = part.segments[part.anchorSegment].value;
            int a = part.anchorOffset;
            int len = part.anchorLength;
            int t = len >= LONG_ANCHOR ? LONG : SHORT;
            int w = width[t];
            int windows = stride[t];
            int best = 0;
            long bestScore = Long.MAX_VALUE;
            for (int d = 0; d + w + windows - 1 <= len; d++) {
                long score = 0;
                for (int k = 0; k < w + windows - 1; k++) {
                    score += commonness(v[a + d + k]);
                    if (k > 0 && v[a + d + k] == v[a + d + k - 1]) score += 6;
                }
                score *= 4;
                for (int j = 0; j < windows; j++) score += 3L * load[t][bucket(key(v, a + d + j, w))];
                if (score < bestScore) {
                    bestScore = score;
                    best = d;
                }
            }
            delta[p] = best;
            for (int j = 0; j < windows; j++) {
                int key = key(v, a + best + j, w);
                load[t][bucket(key)]++;
                if (count[t] == entries[t].length) entries[t] = Arrays.copyOf(entries[t], count[t] * 2);
                entries[t][count[t]++] = ((key & 0xFFFFFFFFL) << 32) | ((long) j << 24) | p;
            }
        }
        Tier[] tiers = new Tier[2];
        for (int t = 0; t < 2; t++) {
            if (count[t] == 0) continue;
            int n = count[t];
            long[] e = Arrays.copyOf(entries[t], n);
            Arrays.sort(e);
            int[] entryPart = new int[n];
            int[] entryDelta = new int[n];
            int[] keyOf = new int[n];
            for (int i = 0; i < n; i++) {
                int p = (int) (e[i] & 0xFFFFFF);
                entryPart[i] = p;
                entryDelta[i] = delta[p] + (int) ((e[i] >>> 24) & 0xFF);
                keyOf[i] = (int) (e[i] >>> 32);
            }
            long[] filter;
            int shift = 0;
            if (width[t] == 2) {
                filter = new long[1 << 10];
                for (int i = 0; i < n; i++) filter[keyOf[i] >>> 6] |= 1L << keyOf[i];
            } else {
                int bits = Integer.highestOneBit(Math.max(1 << 12, Math.min(1 << 24, n * 48)) * 2 - 1);
                filter = new long[bits >>> 6];
                shift = 32 - Integer.numberOfTrailingZeros(bits);
                for (int i = 0; i < n; i++) {
                    int h = hash4(keyOf[i], shift);
                    filter[h >>> 6] |= 1L << h;
                    int g = hash4b(keyOf[i], shift);
                    filter[g >>> 6] |= 1L << g;
                }
            }
            tiers[t] = new Tier(width[t], stride[t], filter, shift, KeyTable.build(keyOf), entryPart, entryDelta);
        }
        return new AnchorIndex(tiers);
    }

    private static int bucket(int key) {
        return (key * MULT) >>> 16;
    }

    /** Little-endian key of w (2 or 4) bytes. */
    static int key(byte[] b, int at, int w) {
        return w == 4 ? (int) INT_LE.get(b, at) : (short) SHORT_LE.get(b, at) & 0xFFFF;
    }

    /** How common a byte is in ordinary files (higher = worse key material). */
    private static int commonness(byte b) {
        int x = b & 0xFF;
        if (x == 0x00) return 10;
        if (x == 0xFF || x == 0x20) return 6;
        if (x == 0x0D || x == 0x0A || x == 0x09 || x == 0x90 || x == 0xCC || x == 0x01) return 4;
        if (x >= 'a' && x <= 'z') return 3;
        if ((x >= '0' && x <= '9') || (x >= 'A' && x <= 'Z') || x == '.' || x == '=' || x == '"') return 2;
        return 1;
    }

    /**
     * Open-addressing map from a key to its run of entries [start, end) in a tier's sorted entry arrays (linear
     * probing, at most half full).
     */
    static final class KeyTable {
        private final int[] slotKey;
        private final int[] slotStart;
        private final int[] slotEnd;
        private final int mask;
        private final int size;

        private KeyTable(int[] slotKey, int[] slotStart, int[] slotEnd, int size) {
            this.slotKey = slotKey;
            this.slotStart = slotStart;
            this.slotEnd = slotEnd;
            this.mask = slotKey.length - 1;
            this.size = size;
        }

        /** keyOf: the entries' keys, sorted (equal keys adjacent). */
        static KeyTable build(int[] keyOf) {
            int n = keyOf.length;
            int distinct = 0;
            for (int e = 0; e < n; e++) if (e == 0 || keyOf[e] != keyOf[e - 1]) distinct++;
            int cap = Integer.highestOneBit(Math.max(4, distinct * 2) * 2 - 1);
            int[] slotKey = new int[cap];
            int[] slotStart = new int[cap];
            int[] slotEnd = new int[cap];
            for (int e = 0; e < n; ) {
                int key = keyOf[e];
                int f = e;
                while (f < n && keyOf[f] == key) f++;
                int s = slot(key, cap - 1);
                while (slotEnd[s] != 0) s = (s + 1) & (cap - 1);
                slotKey[s] = key;
                slotStart[s] = e;
                slotEnd[s] = f;
                e = f;
            }
            return new KeyTable(slotKey, slotStart, slotEnd, distinct);
        }

        private static int slot(int key, int mask) {
            int h = key * 0x85EBCA6B;
            return (h ^ (h >>> 15)) & mask;
        }

        /** Entries for the key as {@code start << 32 | end}, or 0 when the key is absent. */
        long find(int key) {
            int s = slot(key, mask);
            while (true) {
                int end = slotEnd[s];
                if (end == 0) return 0;
                if (slotKey[s] == key) return ((long) slotStart[s] << 32) | end;
                s = (s + 1) & mask;
            }
        }

        int size() { return size; }

        long approximateBytes() { return 48 + 12L * slotKey.length; }
    }
}
