package io.portcullis.systemtests.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes a minimal POSIX (ustar) tar of top-level regular files: enough to build signature bundles in tests. */
public final class Tar {
    private Tar() {
    }

    public static byte[] of(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, f.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", f.getValue().length));
            put(h, 136, String.format("%011o", System.currentTimeMillis() / 1000));
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            h[155] = ' ';
            out.writeBytes(h);
            out.writeBytes(f.getValue());
            out.writeBytes(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
