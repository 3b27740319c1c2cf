package io.portcullis.scanner.engine;

/** Byte-array search for signature engines. */
final class Bytes {
    private Bytes() {
    }

    /** Index of the first occurrence of {@code needle} in {@code haystack}, or -1 (Boyer-Moore-Horspool). */
    static int indexOf(byte[] haystack, byte[] needle) {
        int n = haystack.length;
        int m = needle.length;
        if (m == 0) {
            return 0;
        }
        if (m > n) {
            return -1;
        }
        int[] shift = new int[256];
        java.util.Arrays.fill(shift, m);
        for (int i = 0; i < m - 1; i++) {
            shift[needle[i] & 0xFF] = m - 1 - i;
        }
        int i = 0;
        while (i <= n - m) {
            int j = m - 1;
            while (j >= 0 && haystack[i + j] == needle[j]) {
                j--;
            }
            if (j < 0) {
                return i;
            }
            i += shift[haystack[i + m - 1] & 0xFF];
        }
        return -1;
    }
}
