package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.ByteSearch.u16;
import static io.portcullis.scanner.mime.ByteSearch.u32;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_UNSCANNABLE;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Symbian installation files (SIS, EPOC releases 3 to 6): the file records are walked (options and conditions
 * skipped) and every file, zlib-compressed unless the header says otherwise, becomes an item {@code sis:<name>}.
 * Records the reader does not know stop the walk with ARCHIVE_UNSCANNABLE.
 */
final class SisExpander {
    private static final int OPT_UNICODE = 0x1;
    private static final int OPT_NO_COMPRESS = 0x8;
    private static final int MAX_LANGS = 256;

    private final ArchiveExpander archives;

    SisExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    void expand(String archivePath, byte[] d, int depth, DecompositionState state) {
        try {
            read(archivePath, d, depth, state);
        } catch (IndexOutOfBoundsException e) {
            state.failure(ARCHIVE_CORRUPT, "sis: " + archivePath + " is truncated in its records");
        }
    }

    private void read(String archivePath, byte[] d, int depth, DecompositionState state) {
        boolean release6 = u32(d, 4) == 0x10003A12L;
        int langs = u16(d, 18);
        int files = u16(d, 20);
        int options = u16(d, 36);
        long filesAt = u32(d, 52);
        if (langs < 1 || langs > MAX_LANGS) {
            state.failure(ARCHIVE_CORRUPT, "sis: " + archivePath + " declares " + langs + " languages");
            return;
        }
        boolean unicode = (options & OPT_UNICODE) != 0;
        boolean compressed = (options & OPT_NO_COMPRESS) == 0;
        int p = (int) filesAt;
        for (int r = 0; r < files; r++) {
            long type = u32(d, p);
            switch ((int) type) {
                case 0, 1 -> {
                    int copies = type == 0 ? 1 : langs;
                    long nameLen = u32(d, p + 12);
                    long nameAt = u32(d, p + 16);
                    int q = p + 28;
                    String name = name(d, nameAt, nameLen, unicode);
                    long[] lengths = new long[copies];
                    long[] offsets = new long[copies];
                    long[] originals = new long[copies];
                    for (int i = 0; i < copies; i++) {
                        lengths[i] = u32(d, q + 4 * i);
                    }
                    q += 4 * copies;
                    for (int i = 0; i < copies; i++) {
                        offsets[i] = u32(d, q + 4 * i);
                    }
                    q += 4 * copies;
                    if (release6) {
                        for (int i = 0; i < copies; i++) {
                            originals[i] = u32(d, q + 4 * i);
                        }
                        q += 4 * copies + 8; // original lengths, MIME type length and offset
                    }
                    for (int i = 0; i < copies; i++) {
                        if (!file(archivePath, d, name, offsets[i], lengths[i], release6 ? originals[i] : -1,
                                compressed, depth, state)) {
                            return;
                        }
                    }
                    p = q;
                }
                case 2 -> {
                    long count = u32(d, p + 4);
                    p += 8 + (int) (count * langs * 8) + 16;
                }
                case 3, 4 -> p += 8 + (int) u32(d, p + 4);
                case 5, 6 -> p += 4;
                default -> {
                    state.failure(ARCHIVE_UNSCANNABLE, "sis: " + archivePath + " has record type " + type
                            + ", which this reader does not know; the rest was not scanned");
                    return;
                }
            }
        }
    }

    private boolean file(String archivePath, byte[] d, String name, long offset, long length, long original,
            boolean compressed, int depth, DecompositionState state) {
        if (offset + length > d.length) {
            state.failure(ARCHIVE_CORRUPT, "sis: " + archivePath + ": " + ArchiveExpander.safeName(name)
                    + " is truncated");
            return true;
        }
        InputStream in = new ByteArrayInputStream(d, (int) offset, (int) length);
        Inflater inflater = compressed ? new Inflater() : null;
        ScanItem item;
        try {
            item = archives.entry("sis", archivePath, name, depth, compressed ? new InflaterInputStream(in, inflater)
                    : in, state);
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
        if (item == null) {
            return false;
        }
        long read = item.content().length;
        boolean cut = read >= state.limits().maxItemBytes() || state.expandedFull() || state.lastReadFailed();
        if (!cut && original >= 0 && read != original) {
            state.failure(ARCHIVE_CORRUPT, "sis: " + item.path() + " decodes to " + read + " bytes, its record says "
                    + original);
        }
        if (compressed) {
            state.checkRatio(item.path(), read, length);
        }
        archives.expandIfArchive(item, item.filename(), state);
        return true;
    }

    private static String name(byte[] d, long at, long len, boolean unicode) {
        if (at + len > d.length || len > 2048) {
            return "(unnamed)";
        }
        String n = new String(d, (int) at, (int) len, unicode ? StandardCharsets.UTF_16LE
                : StandardCharsets.ISO_8859_1);
        int slash = Math.max(n.lastIndexOf('\\'), n.lastIndexOf('/'));
        return slash >= 0 && slash < n.length() - 1 ? n.substring(slash + 1) : n;
    }
}
