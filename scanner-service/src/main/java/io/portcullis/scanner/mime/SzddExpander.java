package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;

import io.portcullis.contracts.scan.ScanItem;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * SZDD, the format of MS-DOS/Windows {@code compress.exe} ({@code setup.ex_}): a 14-byte header with the file's last
 * name character and size, then LZSS (4 KiB window filled with spaces). The item is {@code szdd:<name>} with the
 * missing character restored. Output shorter or longer than the header's size is ARCHIVE_CORRUPT (the format has no
 * checksum, so that is all that can be checked).
 */
final class SzddExpander {
    private static final int HEADER = 14;

    private final ArchiveExpander archives;

    SzddExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    void expand(String archivePath, String filename, byte[] d, int depth, DecompositionState state) {
        if (d.length < HEADER || d[8] != 'A') {
            state.failure(ARCHIVE_CORRUPT, "szdd: " + archivePath + " has a truncated or unknown header");
            return;
        }
        long declared = ByteSearch.u32(d, 10);
        String name = innerName(filename, (char) (d[9] & 0xFF));
        Lzss lzss = new Lzss(d, HEADER, declared);
        ScanItem item = archives.entry("szdd", archivePath, name, depth, lzss, state);
        if (item == null) {
            return;
        }
        long read = item.content().length;
        boolean cut = read >= state.limits().maxItemBytes() || state.expandedFull() || state.lastReadFailed();
        if (!cut && (read != declared || lzss.overrun)) {
            state.failure(ARCHIVE_CORRUPT, "szdd: " + item.path() + " decodes to " + (lzss.overrun ? "more than "
                    : "") + read + " bytes, its header says " + declared);
        }
        state.checkRatio(item.path(), read, d.length);
        archives.expandIfArchive(item, item.filename(), state);
    }

    /** {@code setup.ex_} with missing character 'e' is {@code setup.exe}. */
    static String innerName(String outer, char missing) {
        String n = outer == null || outer.isBlank() ? "(unnamed)" : outer.strip();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        if (n.endsWith("_") && missing > ' ' && missing < 127) {
            boolean upper = n.length() > 1 && Character.isUpperCase(n.charAt(n.length() - 2));
            String c = String.valueOf(missing);
            return n.substring(0, n.length() - 1) + (upper ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
        }
        return n;
    }

    /** The LZSS decoder as a stream, stopping at the declared size (one byte more marks an overrun). */
    private static final class Lzss extends InputStream {
        private final byte[] in;
        private final long declared;
        private final byte[] window = new byte[4096];
        private int p;
        private int pos = 4096 - 16;
        private int flags;
        private int flagBits;
        private int copyFrom;
        private int copyLeft;
        private long produced;
        boolean overrun;

        Lzss(byte[] in, int start, long declared) {
            this.in = in;
            this.p = start;
            this.declared = declared;
            java.util.Arrays.fill(window, (byte) ' ');
        }

        @Override
        public int read() throws IOException {
            if (produced >= declared) {
                if (more()) {
                    overrun = true;
                }
                return -1;
            }
            int b;
            if (copyLeft > 0) {
                b = window[copyFrom++ & 4095] & 0xFF;
                copyLeft--;
            } else {
                if (flagBits == 0) {
                    if (p >= in.length) {
                        return -1;
                    }
                    flags = in[p++] & 0xFF;
                    flagBits = 8;
                }
                boolean literal = (flags & 1) != 0;
                flags >>= 1;
                flagBits--;
                if (literal) {
                    if (p >= in.length) {
                        return -1;
                    }
                    b = in[p++] & 0xFF;
                } else {
                    if (p + 1 >= in.length) {
                        return -1;
                    }
                    int lo = in[p++] & 0xFF;
                    int hi = in[p++] & 0xFF;
                    copyFrom = lo | (hi & 0xF0) << 4;
                    copyLeft = (hi & 0x0F) + 3;
                    b = window[copyFrom++ & 4095] & 0xFF;
                    copyLeft--;
                }
            }
            window[pos++ & 4095] = (byte) b;
            produced++;
            return b;
        }

        /** Whether input remains that would decode to more bytes (trailing flag bits of the last byte aside). */
        private boolean more() {
            return copyLeft > 0 || p < in.length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
