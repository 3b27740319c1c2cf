package io.portcullis.av;

/** A fixed-length run of a body pattern: per-byte value/mask (wildcards have mask 0) plus equal-length alternatives. */
final class Segment {
    final byte[] value;
    final byte[] mask;
    final int[] altPos;
    final byte[][][] altOptions;

    Segment(byte[] value, byte[] mask, int[] altPos, byte[][][] altOptions) {
        this.value = value;
        this.mask = mask;
        this.altPos = altPos;
        this.altOptions = altOptions;
    }

    int length() { return value.length; }

    /** Caller guarantees {@code at >= 0 && at + length() <= b.length}. */
    boolean matches(byte[] b, int at) {
        byte[] v = value, m = mask;
        for (int k = 0; k < v.length; k++) {
            if (((b[at + k] ^ v[k]) & m[k]) != 0) return false;
        }
        for (int a = 0; a < altPos.length; a++) {
            int p = at + altPos[a];
            boolean any = false;
            for (byte[] opt : altOptions[a]) {
                if (java.util.Arrays.equals(b, p, p + opt.length, opt, 0, opt.length)) { any = true; break; }
            }
            if (!any) return false;
        }
        return true;
    }

    long approximateBytes() {
        long n = 48 + 2L * (16 + value.length) + 16 + 4L * altPos.length;
        for (byte[][] o : altOptions) n += 16 + o.length * (16L + (o.length > 0 ? o[0].length : 0));
        return n;
    }
}
