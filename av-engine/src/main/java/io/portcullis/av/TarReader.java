package io.portcullis.av;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Minimal ustar/v7 tar reader for signature containers: regular files only, header checksums verified. */
final class TarReader {
    interface MemberHandler {
        void member(String name, byte[] content) throws SignatureLoadException;
    }

    private TarReader() {
    }

    static void read(InputStream in, String container, MemberHandler handler) throws SignatureLoadException, IOException {
        byte[] h = new byte[512];
        String longName = null;
        while (true) {
            int n = in.readNBytes(h, 0, 512);
            if (n == 0) return;
            if (n < 512) throw new SignatureLoadException(container, 0, "truncated tar archive (partial header)");
            if (allZero(h)) return;
            long expected = octal(h, 148, 8, container);
            long sum = 0;
            for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
            if (sum != expected) throw new SignatureLoadException(container, 0, "corrupt tar archive (header checksum mismatch)");
            String name = cstring(h, 0, 100);
            if (cstring(h, 257, 5).equals("ustar")) {
                String prefix = cstring(h, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            long size = octal(h, 124, 12, container);
            if (size > Integer.MAX_VALUE - 16) throw new SignatureLoadException(container, 0, "tar member " + name + " too large");
            byte[] content = in.readNBytes((int) size);
            if (content.length < size) throw new SignatureLoadException(container, 0, "truncated tar archive (member " + name + ")");
            long pad = (512 - size % 512) % 512;
            if (in.readNBytes((int) pad).length < pad) throw new SignatureLoadException(container, 0, "truncated tar archive (padding of " + name + ")");
            char type = (char) h[156];
            if (type == 'L') {
                longName = cstring(content, 0, content.length);
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == '0' || type == 0) handler.member(name, content);
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String cstring(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }

    private static long octal(byte[] b, int off, int len, String container) throws SignatureLoadException {
        long v = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c == 0 || c == ' ') { if (digits) break; else continue; }
            if (c < '0' || c > '7') throw new SignatureLoadException(container, 0, "corrupt tar archive (bad octal field)");
            v = v * 8 + (c - '0');
            digits = true;
        }
        return v;
    }
}
