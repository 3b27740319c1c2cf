package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.ByteSearch.u16;
import static io.portcullis.scanner.mime.ByteSearch.u32;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_UNSCANNABLE;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.tukaani.xz.LZMAInputStream;

/**
 * The overlay of a PE executable (the bytes after its last section), where installers and self-extractors keep their
 * payload: an archive (zip, 7z, RAR, CAB, ...: a self-extractor, unpacked like the archive), the plain InstallShield
 * layout ({@code name, path, version, size} then the file: items {@code ishield:<name>}), or NSIS with LZMA blocks
 * (items {@code nsis:(file <n>)}). Installers whose payload has no decoder here (NSIS with zlib or bzip2, the
 * InstallShield setup stream, AutoIt compiled scripts) are ARCHIVE_UNSCANNABLE. A PE without such an overlay is left
 * alone: it is scanned as it is (packers are another engine's business).
 */
final class PeOverlayExpander {
    private static final byte[] NSIS = {(byte) 0xEF, (byte) 0xBE, (byte) 0xAD, (byte) 0xDE, 'N', 'u', 'l', 'l', 's',
        'o', 'f', 't', 'I', 'n', 's', 't'};
    private static final byte[] ISSETUP = ByteSearch.ascii("InstallShield\0");
    private static final byte[] AUTOIT = ByteSearch.ascii("AU3!EA0");
    private static final int MAX_DICT = 64 << 20;
    private static final int SEARCH = 64 * 1024;

    enum Kind { ARCHIVE, ISHIELD_PLAIN, ISHIELD_SETUP, NSIS, AUTOIT }

    record Overlay(Kind kind, int offset, ArchiveFormat format) {
    }

    private final ArchiveExpander archives;

    PeOverlayExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    /** The installer or archive payload in a PE's overlay, or null when there is none (or it is no PE). */
    static Overlay inspect(byte[] d) {
        int start = overlayStart(d);
        if (start < 0 || start >= d.length) {
            return null;
        }
        int nsis = ByteSearch.indexOf(d, NSIS, Math.max(start, 4), Math.min(d.length, start + SEARCH));
        if (nsis >= 4) {
            return new Overlay(Kind.NSIS, nsis - 4, null);
        }
        int p = start;
        while (p < d.length && p < start + 512 && d[p] == 0) {
            p++; // alignment padding
        }
        if (p < d.length) {
            ArchiveFormat f = ArchiveFormat.byMagic(Arrays.copyOfRange(d, p, Math.min(d.length, p + 512)));
            if (f != null && f != ArchiveFormat.PE && f != ArchiveFormat.MAIL && f != ArchiveFormat.RTF) {
                return new Overlay(Kind.ARCHIVE, p, f);
            }
        }
        if (ishieldPlainAt(d, start)) {
            return new Overlay(Kind.ISHIELD_PLAIN, start, null);
        }
        int is = ByteSearch.indexOf(d, ISSETUP, start, Math.min(d.length, start + SEARCH));
        if (is >= 0) {
            return new Overlay(Kind.ISHIELD_SETUP, is, null);
        }
        int au3 = ByteSearch.indexOf(d, AUTOIT, start, Math.min(d.length, start + 4096));
        if (au3 >= 0) {
            return new Overlay(Kind.AUTOIT, au3, null);
        }
        return null;
    }

    /** End of the last section's raw data, or -1 when the headers are no PE's. */
    static int overlayStart(byte[] d) {
        if (d.length < 64 || d[0] != 'M' || d[1] != 'Z') {
            return -1;
        }
        long pe = u32(d, 0x3C);
        if (pe + 24 > d.length || d[(int) pe] != 'P' || d[(int) pe + 1] != 'E' || d[(int) pe + 2] != 0
                || d[(int) pe + 3] != 0) {
            return -1;
        }
        int sections = u16(d, (int) pe + 6);
        int table = (int) pe + 24 + u16(d, (int) pe + 20);
        long end = 0;
        for (int i = 0; i < sections && table + 40 * i + 40 <= d.length; i++) {
            int s = table + 40 * i;
            long rawSize = u32(d, s + 16);
            long rawPtr = u32(d, s + 20);
            if (rawSize > 0) {
                end = Math.max(end, rawPtr + rawSize);
            }
        }
        return end <= 0 || end > Integer.MAX_VALUE ? -1 : (int) end;
    }

    void expand(String archivePath, byte[] d, Overlay overlay, int depth, DecompositionState state) {
        switch (overlay.kind()) {
            case ARCHIVE -> {
                // a zip's offsets may count from the start of the executable: give the zip reader all of it
                byte[] payload = overlay.format() == ArchiveFormat.ZIP ? d
                        : Arrays.copyOfRange(d, overlay.offset(), d.length);
                archives.expandFormat(overlay.format(), archivePath, null, payload, depth, state);
            }
            case ISHIELD_PLAIN -> ishieldPlain(archivePath, d, overlay.offset(), depth, state);
            case NSIS -> nsis(archivePath, d, overlay.offset(), depth, state);
            case ISHIELD_SETUP -> state.failure(ARCHIVE_UNSCANNABLE, "installshield: " + archivePath
                    + " holds an InstallShield setup stream (obfuscated), which has no decoder here");
            case AUTOIT -> state.failure(ARCHIVE_UNSCANNABLE, "autoit: " + archivePath
                    + " holds a compiled AutoIt script, which has no decoder here");
            default -> throw new IllegalStateException(overlay.kind().name());
        }
    }

    // --- InstallShield, plain: NUL-terminated name, path, version and decimal size, then the file ---

    private static boolean ishieldPlainAt(byte[] d, int p) {
        String[] f = fields(d, p);
        return f != null;
    }

    /** The four header fields at p, or null. */
    private static String[] fields(byte[] d, int p) {
        String[] f = new String[4];
        int at = p;
        for (int i = 0; i < 4; i++) {
            int end = at;
            while (end < d.length && end - at < 1024 && d[end] != 0) {
                if (d[end] < 0x20 || d[end] > 0x7E) {
                    return null;
                }
                end++;
            }
            if (end >= d.length || d[end] != 0 || end == at) {
                return null;
            }
            f[i] = new String(d, at, end - at, java.nio.charset.StandardCharsets.ISO_8859_1);
            at = end + 1;
        }
        if (!f[3].matches("[0-9]{1,10}")) {
            return null;
        }
        return new String[] {f[0], f[1], f[2], f[3], String.valueOf(at)};
    }

    private void ishieldPlain(String archivePath, byte[] d, int start, int depth, DecompositionState state) {
        int p = start;
        while (p < d.length) {
            String[] f = fields(d, p);
            if (f == null) {
                state.failure(ARCHIVE_CORRUPT, "ishield: " + archivePath + " has an unreadable file header at "
                        + "offset " + p);
                return;
            }
            long size = Long.parseLong(f[3]);
            int data = Integer.parseInt(f[4]);
            int take = (int) Math.min(size, d.length - data);
            if (take < size) {
                state.failure(ARCHIVE_CORRUPT, "ishield: " + archivePath + ": " + ArchiveExpander.safeName(f[0])
                        + " is truncated (" + take + " of " + size + " bytes)");
            }
            ScanItem item = archives.entry("ishield", archivePath, f[0], depth,
                    new ByteArrayInputStream(d, data, take), state);
            if (item == null) {
                return;
            }
            archives.expandIfArchive(item, item.filename(), state);
            p = data + take;
        }
    }

    // --- NSIS: first header (flags, signature, header length, data length), then blocks ---

    private void nsis(String archivePath, byte[] d, int fh, int depth, DecompositionState state) {
        if (fh + 28 > d.length) {
            state.failure(ARCHIVE_CORRUPT, "nsis: " + archivePath + " is truncated in its first header");
            return;
        }
        long flags = u32(d, fh);
        long total = u32(d, fh + 24);
        long end = fh + total - ((flags & 4) == 0 ? 4 : 0); // a CRC-32 closes the data unless NO_CRC
        if (fh + total > d.length) {
            state.failure(ARCHIVE_CORRUPT, "nsis: " + archivePath + " is truncated (" + (d.length - fh) + " of "
                    + total + " bytes)");
            end = d.length;
        }
        int p = fh + 28;
        if (p + 5 > end) {
            return;
        }
        long first = u32(d, p);
        // non-solid data starts with the header block's length (high bit: compressed); solid data with the
        // compressor's own header (LZMA properties 5D 00 00 ...)
        boolean solid = (d[p] & 0xFF) == 0x5D && u16(d, p + 1) == 0 || (first & 0x7FFFFFFFL) + 4 > end - p;
        if (solid) {
            if ((d[p] & 0xFF) != 0x5D) {
                state.failure(ARCHIVE_UNSCANNABLE, "nsis: " + archivePath
                        + " is a solid zlib or bzip2 installer, which has no decoder here");
                return;
            }
            solidLzma(archivePath, d, p, (int) end, depth, state);
            return;
        }
        int n = 0;
        while (p + 4 <= end) {
            long word = u32(d, p);
            boolean compressed = (word & 0x80000000L) != 0;
            long len = word & 0x7FFFFFFFL;
            int at = p + 4;
            if (at + len > end) {
                state.failure(ARCHIVE_CORRUPT, "nsis: " + archivePath + " is truncated in block " + (n + 1));
                return;
            }
            if (n > 0) { // block 0 is the installer script header
                if (compressed && (d[at] & 0xFF) != 0x5D) {
                    state.failure(ARCHIVE_UNSCANNABLE, "nsis: " + archivePath
                            + " uses zlib or bzip2 blocks, which have no decoder here");
                    return;
                }
                InputStream in;
                try {
                    in = compressed ? lzma(d, at, (int) len) : new ByteArrayInputStream(d, at, (int) len);
                } catch (IOException e) {
                    state.failure(ARCHIVE_CORRUPT, "nsis: " + archivePath + " has a bad LZMA header in block " + (n
                            + 1));
                    return;
                }
                ScanItem item = archives.entry("nsis", archivePath, "(file " + n + ")", depth, in, state);
                if (item == null) {
                    return;
                }
                if (compressed) {
                    state.checkRatio(item.path(), item.content().length, len);
                }
                archives.expandIfArchive(item, item.filename(), state);
            }
            n++;
            p = (int) (at + len);
        }
    }

    private static InputStream lzma(byte[] d, int at, int len) throws IOException {
        if (len < 5) {
            throw new EOFException("LZMA properties");
        }
        long dict = u32(d, at + 1);
        if (dict > MAX_DICT) {
            throw new IOException("dictionary too large");
        }
        return new LZMAInputStream(new ByteArrayInputStream(d, at + 5, len - 5), -1, d[at], (int) dict);
    }

    /** A solid LZMA installer: one stream holding length-prefixed blocks, the script header first. */
    private void solidLzma(String archivePath, byte[] d, int p, int end, int depth, DecompositionState state) {
        try (DataInputStream in = new DataInputStream(lzma(d, p, end - p))) {
            int n = 0;
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return;
                }
                long len = (b0 | in.read() << 8 | in.read() << 16 | (long) in.read() << 24) & 0x7FFFFFFFL;
                Limited block = new Limited(in, len);
                if (n > 0) {
                    ScanItem item = archives.entry("nsis", archivePath, "(file " + n + ")", depth, block, state);
                    if (item == null) {
                        return;
                    }
                    archives.expandIfArchive(item, item.filename(), state);
                }
                if (!block.skipAll(archivePath, state)) {
                    return;
                }
                n++;
            }
        } catch (IOException e) {
            state.failure(ARCHIVE_CORRUPT, "nsis: " + archivePath + " has a corrupt solid LZMA stream ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** At most n bytes of a stream, never closing it. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long n) {
            super(in);
            this.left = n;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        /** Decodes the rest of the block; false when the time budget ran out (the stream may be a bomb). */
        boolean skipAll(String where, DecompositionState state) throws IOException {
            byte[] buf = new byte[64 * 1024];
            for (int i = 0; read(buf, 0, buf.length) > 0; i++) {
                if (i % 16 == 15 && state.timeUp(where)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
        }
    }
}
