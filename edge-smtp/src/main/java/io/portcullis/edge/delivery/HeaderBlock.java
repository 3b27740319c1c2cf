package io.portcullis.edge.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The header block of an RFC 822 message, split off a stream without reading the body.
 *
 * @param header   the header lines, each with its original line ending, without the blank separator line
 * @param rest     bytes already read past the header (the blank line and the start of the body)
 * @param complete false when no end of header was found within the limit (then {@code header} is the prefix read)
 */
record HeaderBlock(byte[] header, byte[] rest, boolean complete) {

    /**
     * Reads up to {@code limit} bytes looking for the blank line that ends the header. The end of the stream
     * also ends the header (a message without a body).
     */
    static HeaderBlock read(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[8192];
        int scanned = 0;
        while (buf.size() < limit) {
            int n = in.read(chunk, 0, Math.min(chunk.length, limit - buf.size()));
            if (n < 0) {
                byte[] all = buf.toByteArray();
                int end = endOfHeader(all, 0);
                return end < 0 ? new HeaderBlock(all, new byte[0], true) : split(all, end);
            }
            buf.write(chunk, 0, n);
            byte[] all = buf.toByteArray();
            int end = endOfHeader(all, Math.max(0, scanned - 2));
            if (end >= 0) {
                return split(all, end);
            }
            scanned = all.length;
        }
        return new HeaderBlock(buf.toByteArray(), new byte[0], false);
    }

    /** Index where the blank line starts (just after the last header line's line ending), or -1. */
    static int endOfHeader(byte[] b, int from) {
        if (b.length > 0 && from == 0 && (b[0] == '\n' || (b[0] == '\r' && b.length > 1 && b[1] == '\n'))) {
            return 0;
        }
        for (int i = Math.max(from, 0); i < b.length; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i + 1 < b.length && b[i + 1] == '\n') {
                return i + 1;
            }
            if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static HeaderBlock split(byte[] all, int end) {
        return new HeaderBlock(Arrays.copyOfRange(all, 0, end), Arrays.copyOfRange(all, end, all.length), true);
    }
}
