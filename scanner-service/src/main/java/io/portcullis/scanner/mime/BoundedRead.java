package io.portcullis.scanner.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most a given number of bytes from a stream, keeping what was read when the stream fails.
 *
 * @param bytes    what was read (at most the limit)
 * @param exceeded whether the stream had more than the limit
 * @param error    the I/O error that ended the read early, or null
 */
public record BoundedRead(byte[] bytes, boolean exceeded, IOException error) {

    public static BoundedRead of(InputStream in, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 64 * 1024));
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        try {
            while (total < limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
                if (n < 0) {
                    return new BoundedRead(out.toByteArray(), false, null);
                }
                out.write(buf, 0, n);
                total += n;
            }
            boolean more = in.read() >= 0;
            return new BoundedRead(out.toByteArray(), more, null);
        } catch (IOException e) {
            return new BoundedRead(out.toByteArray(), false, e);
        }
    }
}
