package io.portcullis.scanner.mime;

import java.nio.charset.StandardCharsets;

/** Searching and reading little-endian fields in byte arrays, for the container readers. */
final class ByteSearch {
    private ByteSearch() {
    }

    static int indexOf(byte[] d, byte[] needle, int from) {
        return indexOf(d, needle, from, d.length);
    }

    /** First index in [from, to) where needle starts (needle fully inside d), or -1. */
    static int indexOf(byte[] d, byte[] needle, int from, int to) {
        if (needle.length == 0) {
            return -1;
        }
        byte first = needle[0];
        int last = Math.min(to, d.length - needle.length + 1);
        outer:
        for (int i = Math.max(0, from); i < last; i++) {
            if (d[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (d[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static int u8(byte[] d, int i) {
        return d[i] & 0xFF;
    }

    static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    static long u32(byte[] d, int i) {
        return (u16(d, i) | (long) u16(d, i + 2) << 16) & 0xFFFFFFFFL;
    }

    /** A NUL-terminated string of at most {@code max} bytes starting at {@code i} (ISO-8859-1, or UTF-8). */
    static String cString(byte[] d, int i, int max, boolean utf8) {
        int end = i;
        while (end < d.length && end - i < max && d[end] != 0) {
            end++;
        }
        return new String(d, i, end - i, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }
}
