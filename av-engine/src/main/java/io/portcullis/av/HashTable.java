package io.portcullis.av;

import java.util.Arrays;

/**
 * Whole-file hashes of one length (MD5 16, SHA-1 20, SHA-256 32 bytes), sorted and packed: one byte array of hashes,
 * one long array of sizes (-1 = any size), one int array of signature ids. Lookup is a binary search.
 */
final class HashTable {
    static final long ANY_SIZE = -1;

    final int hashLength;
    private final byte[] hashes;
    private final long[] sizes;
    private final int[] ids;
    /** Distinct sizes of the entries, sorted (without {@link #ANY_SIZE}). */
    private final long[] distinctSizes;
    /** True when some entry has size {@code *}: every object must be hashed. */
    final boolean anySize;
    /** Largest size of an entry (-1 when empty). */
    final long maxSize;

    private HashTable(int hashLength, byte[] hashes, long[] sizes, int[] ids) {
        this.hashLength = hashLength;
        this.hashes = hashes;
        this.sizes = sizes;
        this.ids = ids;
        boolean any = false;
        long[] ds = new long[sizes.length];
        int n = 0;
        for (long x : sizes) {
            if (x == ANY_SIZE) any = true;
            else ds[n++] = x;
        }
        Arrays.sort(ds, 0, n);
        int d = 0;
        for (int i = 0; i < n; i++) if (d == 0 || ds[d - 1] != ds[i]) ds[d++] = ds[i];
        this.distinctSizes = Arrays.copyOf(ds, d);
        this.anySize = any;
        this.maxSize = d == 0 ? -1 : distinctSizes[d - 1];
    }

    int size() { return ids.length; }

    /** Whether an object of exactly this size can match an entry (so its digest is worth computing). */
    boolean mayMatch(long size) {
        return ids.length > 0 && (anySize || Arrays.binarySearch(distinctSizes, size) >= 0);
    }

    /** Whether an object that is at least this large can still match an entry. */
    boolean mayMatchAtLeast(long size) {
        return ids.length > 0 && (anySize || size <= maxSize);
    }

    long approximateBytes() { return 64 + hashes.length + 8L * sizes.length + 4L * ids.length + 8L * distinctSizes.length; }

    /** Signature id of the first entry with this digest and a matching size, or -1. */
    int lookup(byte[] digest, long size) {
        int lo = 0, hi = ids.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(hashes, mid * hashLength, (mid + 1) * hashLength, digest, 0, hashLength);
            if (c < 0) lo = mid + 1;
            else { if (c == 0) found = mid; hi = mid - 1; }
        }
        if (found < 0) return -1;
        for (int k = found; k < ids.length
            && Arrays.equals(hashes, k * hashLength, (k + 1) * hashLength, digest, 0, hashLength); k++) {
            if (sizes[k] == ANY_SIZE || sizes[k] == size) return ids[k];
        }
        return -1;
    }

    private static final java.lang.invoke.VarHandle BE_LONG =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** Mutable accumulator used while loading. */
    static final class Builder {
        final int hashLength;
        private byte[] hashes = new byte[0];
        private long[] sizes = new long[0];
        private int[] ids = new int[0];
        private int count;

        Builder(int hashLength) { this.hashLength = hashLength; }

        int count() { return count; }

        void add(byte[] hash, long size, int id) {
            if (count == ids.length) {
                int cap = Math.max(64, count * 2);
                hashes = Arrays.copyOf(hashes, cap * hashLength);
                sizes = Arrays.copyOf(sizes, cap);
                ids = Arrays.copyOf(ids, cap);
            }
            System.arraycopy(hash, 0, hashes, count * hashLength, hashLength);
            sizes[count] = size;
            ids[count] = id;
            count++;
        }

        HashTable build() {
            // sort primitive longs: the first 5 bytes of the hash (unsigned) above the 24-bit index; runs with an
            // equal 5-byte prefix (rare) are then ordered by the whole hash
            if (count >= 1 << 24) throw new IllegalStateException("too many hashes of one kind: " + count);
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) keys[i] = ((((long) BE_LONG.get(hashes, i * hashLength) ^ Long.MIN_VALUE) >>> 24) << 24) | i; // sign flipped: signed order = unsigned order
            Arrays.sort(keys);
            int[] order = new int[count];
            for (int i = 0; i < count; i++) order[i] = (int) (keys[i] & 0xFFFFFF);
            for (int i = 0; i < count; ) {
                int j = i + 1;
                while (j < count && (keys[j] >>> 24) == (keys[i] >>> 24)) j++;
                for (int x = i + 1; x < j; x++) { // insertion sort of the tie run
                    int o = order[x];
                    int y = x - 1;
                    while (y >= i && Arrays.compareUnsigned(hashes, order[y] * hashLength, (order[y] + 1) * hashLength,
                        hashes, o * hashLength, (o + 1) * hashLength) > 0) {
                        order[y + 1] = order[y];
                        y--;
                    }
                    order[y + 1] = o;
                }
                i = j;
            }
            byte[] h = new byte[count * hashLength];
            long[] s = new long[count];
            int[] d = new int[count];
            for (int i = 0; i < count; i++) {
                int o = order[i];
                System.arraycopy(hashes, o * hashLength, h, i * hashLength, hashLength);
                s[i] = sizes[o];
                d[i] = ids[o];
            }
            return new HashTable(hashLength, h, s, d);
        }
    }
}
