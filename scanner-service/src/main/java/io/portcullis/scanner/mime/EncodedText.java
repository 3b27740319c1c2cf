package io.portcullis.scanner.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Files encoded as text inside a text part or file: uuencode blocks ({@code begin 644 name} … {@code end}),
 * {@code begin-base64} blocks, BinHex 4.0 ({@code (This file must be converted with BinHex 4.0)}) and base64
 * {@code data:} URIs (as in HTML). Decoding never throws: a block that is truncated or fails its check is returned
 * with what could be decoded and a problem.
 */
final class EncodedText {
    /** One encoded file found in the text. */
    record Block(String tag, String name, byte[] bytes, String problem, int end) {
    }

    private static final byte[] BEGIN = "begin ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINHEX = "(This file must be converted with BinHex".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final String HQX = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr";
    private static final int[] HQX_VALUE = new int[128];

    static {
        java.util.Arrays.fill(HQX_VALUE, -1);
        for (int i = 0; i < HQX.length(); i++) {
            HQX_VALUE[HQX.charAt(i)] = i;
        }
    }

    private EncodedText() {
    }

    /** Whether the data may hold an encoded block (a cheap scan for the markers). */
    static boolean mayContain(byte[] d) {
        return ByteSearch.indexOf(d, BEGIN, 0) >= 0 || ByteSearch.indexOf(d, BINHEX, 0) >= 0
                || ByteSearch.indexOf(d, DATA, 0) >= 0;
    }

    /** The encoded files in the data, at most {@code max}, each decoded to at most about {@code maxBytes}. */
    static List<Block> find(byte[] d, int max, long maxBytes) {
        List<Block> out = new ArrayList<>();
        // each search goes on after the block found: linear in the data however many markers it holds
        for (int at = ByteSearch.indexOf(d, BEGIN, 0); at >= 0 && out.size() < max; ) {
            Block b = null;
            if (at == 0 || d[at - 1] == '\n') {
                b = at + 6 < d.length && d[at + 5] == '-' ? null : uuencoded(d, at);
                if (b == null) {
                    b = beginBase64(d, at);
                }
            }
            if (b != null) {
                out.add(b);
            }
            at = ByteSearch.indexOf(d, BEGIN, b != null ? Math.max(b.end(), at + 1) : at + 1);
        }
        for (int at = ByteSearch.indexOf(d, BINHEX, 0); at >= 0 && out.size() < max; ) {
            Block b = binhex(d, at, maxBytes);
            out.add(b);
            at = ByteSearch.indexOf(d, BINHEX, Math.max(b.end(), at + 1));
        }
        int n = 0;
        for (int at = ByteSearch.indexOf(d, DATA, 0); at >= 0 && out.size() < max; ) {
            Block b = dataUri(d, at, n + 1);
            if (b != null) {
                out.add(b);
                n++;
            }
            at = ByteSearch.indexOf(d, DATA, b != null ? Math.max(b.end(), at + 1) : at + 1);
        }
        return out;
    }

    private static String line(byte[] d, int from, int to) {
        int end = to;
        while (end > from && (d[end - 1] == '\r' || d[end - 1] == '\n')) {
            end--;
        }
        return new String(d, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private static int lineEnd(byte[] d, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == '\n') {
                return i + 1;
            }
        }
        return d.length;
    }

    /** {@code begin <octal mode> <name>}, lines of uuencoded data, {@code end}. */
    private static Block uuencoded(byte[] d, int at) {
        int next = lineEnd(d, at);
        String header = line(d, at, next);
        String[] parts = header.split(" ", 3);
        if (parts.length < 3 || !parts[1].matches("[0-7]{3,4}") || parts[2].isBlank()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String problem = null;
        int p = next;
        boolean ended = false;
        while (p < d.length) {
            int e = lineEnd(d, p);
            String l = line(d, p, e);
            p = e;
            if (l.equals("end")) {
                ended = true;
                break;
            }
            if (l.isEmpty()) {
                continue;
            }
            int n = (l.charAt(0) - 32) & 63;
            if (n == 0) {
                ended = true; // the zero-length line ends the data; the "end" line after it is a formality
                break;
            }
            if (l.charAt(0) < 32 || l.charAt(0) > 96) {
                problem = problem == null ? "a line with a bad length character" : problem;
                continue;
            }
            int[] q = new int[4];
            int written = 0;
            for (int i = 1; written < n; i += 4) {
                for (int k = 0; k < 4; k++) {
                    int c = i + k < l.length() ? l.charAt(i + k) : ' '; // trailing spaces may be stripped
                    if (c < 32 || c > 96) {
                        problem = problem == null ? "a character outside the uuencode alphabet" : problem;
                    }
                    q[k] = (c - 32) & 63;
                }
                int[] b = {q[0] << 2 | q[1] >> 4, (q[1] & 15) << 4 | q[2] >> 2, (q[2] & 3) << 6 | q[3]};
                for (int k = 0; k < 3 && written < n; k++, written++) {
                    out.write(b[k] & 0xFF);
                }
            }
            if (l.length() > 1 + (n + 2) / 3 * 4 + 1) {
                problem = problem == null ? "a line longer than its length character says" : problem;
            }
        }
        if (!ended) {
            problem = "truncated (no end line)";
        }
        return new Block("uu", parts[2].strip(), out.toByteArray(), problem, p);
    }

    /** {@code begin-base64 <mode> <name>}, base64 lines, {@code ====}. */
    private static Block beginBase64(byte[] d, int at) {
        int next = lineEnd(d, at);
        String header = line(d, at, next);
        String[] parts = header.split(" ", 3);
        if (parts.length < 3 || !parts[0].equals("begin-base64") || !parts[1].matches("[0-7]{3,4}")) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int p = next;
        boolean ended = false;
        while (p < d.length) {
            int e = lineEnd(d, p);
            String l = line(d, p, e).strip();
            p = e;
            if (l.equals("====")) {
                ended = true;
                break;
            }
            text.append(l);
        }
        byte[] bytes;
        String problem = ended ? null : "truncated (no ==== line)";
        try {
            bytes = Base64.getDecoder().decode(text.toString());
        } catch (IllegalArgumentException e) {
            bytes = Base64.getMimeDecoder().decode(text.toString().replaceAll("[^A-Za-z0-9+/]", ""));
            problem = problem == null ? "not valid base64" : problem;
        }
        return new Block("b64", parts[2].strip(), bytes, problem, p);
    }

    /** A base64 {@code data:} URI; null when it is not one (or not base64). */
    private static Block dataUri(byte[] d, int at, int n) {
        int p = at + 5;
        int limit = Math.min(d.length, p + 256);
        while (p < limit && d[p] != ',' && d[p] != '"' && d[p] != '\'' && d[p] != '>' && d[p] != ' ') {
            p++;
        }
        if (p >= limit || d[p] != ',') {
            return null;
        }
        String meta = new String(d, at + 5, p - at - 5, StandardCharsets.ISO_8859_1);
        if (!meta.endsWith(";base64")) {
            return null;
        }
        int start = p + 1;
        int end = start;
        while (end < d.length && (isBase64(d[end]) || d[end] == '\r' || d[end] == '\n' || d[end] == ' '
                || d[end] == '\t')) {
            end++;
        }
        if (end - start < 4) {
            return null;
        }
        byte[] bytes = Base64.getMimeDecoder().decode(new String(d, start, end - start,
                StandardCharsets.ISO_8859_1).replaceAll("\\s", ""));
        return new Block("data-uri", "(data-uri " + n + ")", bytes, null, end);
    }

    private static boolean isBase64(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/'
                || b == '=';
    }

    /** BinHex 4.0: 6-bit text between colons, run-length encoded, header and two forks each with a CRC. */
    private static Block binhex(byte[] d, int at, long maxBytes) {
        int colon = -1;
        for (int i = at; i < d.length; i++) {
            if (d[i] == ':' && (d[i - 1] == '\n' || d[i - 1] == '\r')) {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return new Block("hqx", "(binhex)", new byte[0], "no data after the BinHex marker", d.length);
        }
        ByteArrayOutputStream sixBit = new ByteArrayOutputStream();
        String problem = null;
        int acc = 0;
        int bits = 0;
        boolean closed = false;
        int i = colon + 1;
        for (; i < d.length; i++) {
            int c = d[i] & 0xFF;
            if (c == ':') {
                closed = true;
                break;
            }
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                continue;
            }
            int v = c < 128 ? HQX_VALUE[c] : -1;
            if (v < 0) {
                problem = "a character outside the BinHex alphabet";
                break;
            }
            acc = acc << 6 | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                sixBit.write(acc >> bits & 0xFF);
            }
        }
        if (!closed && problem == null) {
            problem = "truncated (no closing colon)";
        }
        byte[] rle = sixBit.toByteArray();
        ByteArrayOutputStream plain = new ByteArrayOutputStream(rle.length);
        int last = 0;
        for (int r = 0; r < rle.length; r++) {
            if (plain.size() > maxBytes) {
                problem = "expands beyond " + maxBytes + " bytes";
                break; // run-length encoding expands up to 127:1
            }
            int b = rle[r] & 0xFF;
            if (b == 0x90 && r + 1 < rle.length) {
                int count = rle[++r] & 0xFF;
                if (count == 0) {
                    plain.write(0x90);
                    last = 0x90;
                } else {
                    for (int k = 1; k < count; k++) {
                        plain.write(last);
                    }
                }
            } else {
                plain.write(b);
                last = b;
            }
        }
        byte[] p = plain.toByteArray();
        if (p.length < 1 || p.length < 1 + (p[0] & 0xFF) + 21) {
            return new Block("hqx", "(binhex)", new byte[0], problem != null ? problem : "header truncated", i);
        }
        int nameLen = p[0] & 0xFF;
        String name = new String(p, 1, nameLen, StandardCharsets.ISO_8859_1);
        int h = 1 + nameLen + 1 + 4 + 4 + 2;
        long dataLen = be32(p, h);
        long rsrcLen = be32(p, h + 4);
        int headerCrcAt = h + 8;
        if (crc(p, 0, headerCrcAt) != be16(p, headerCrcAt)) {
            problem = problem == null ? "header CRC mismatch" : problem;
        }
        int dataAt = headerCrcAt + 2;
        int avail = Math.max(0, p.length - dataAt);
        int take = (int) Math.min(dataLen, avail);
        byte[] data = java.util.Arrays.copyOfRange(p, dataAt, dataAt + take);
        if (take < dataLen) {
            problem = problem == null ? "data fork truncated" : problem;
        } else if (dataAt + take + 2 > p.length || crc(p, dataAt, dataAt + take) != be16(p, dataAt + take)) {
            problem = problem == null ? "data fork CRC mismatch" : problem;
        } else if (rsrcLen > 0) {
            int rsrcAt = dataAt + take + 2;
            if (rsrcAt + rsrcLen + 2 > p.length || crc(p, rsrcAt, (int) (rsrcAt + rsrcLen))
                    != be16(p, (int) (rsrcAt + rsrcLen))) {
                problem = problem == null ? "resource fork truncated or CRC mismatch" : problem;
            }
        }
        return new Block("hqx", name, data, problem, i);
    }

    private static long be32(byte[] d, int i) {
        return (long) (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | d[i + 3] & 0xFF;
    }

    private static int be16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | d[i + 1] & 0xFF;
    }

    /** CRC-16/XMODEM (BinHex's CRC). */
    private static int crc(byte[] d, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (d[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? crc << 1 ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xFFFF;
    }
}
