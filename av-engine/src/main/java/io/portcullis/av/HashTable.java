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

    private HashTable(int hashLength, byte[] hashes, long[] sizes, int[] ids) {
        this.hashLength = hashLength;
        this.hashes = hashes;
        this.sizes = sizes;
        this.ids = ids;
    }

    int size() { return ids.length; }

    long approximateBytes() { return 48 + hashes.length + 8L * sizes.length + 4L * ids.length; }

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
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(hashes, a * hashLength, (a + 1) * hashLength,
                hashes, b * hashLength, (b + 1) * hashLength));
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
