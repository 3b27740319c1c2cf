package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_DEPTH;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENCRYPTED;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENTRIES;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_UNSCANNABLE;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.arj.ArjArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Unpacks archives, compressed streams and containers (recursively, every layer) into scan items: zip (via
 * {@link ZipExpander}), tar, gzip, bzip2, xz, 7z, cpio, ar and arj through Commons Compress; TNEF, OLE2, PDF, CAB,
 * SZDD, RTF objects, SIS, PE installer overlays and attached messages through their own expanders; uuencode, BinHex
 * and data-URI blocks in text ({@link EncodedText}). All in memory. RAR, CHM and InstallShield cabinets are detected
 * and reported unscannable. Entry names are data only: they become item paths and file names, never paths on disk.
 *
 * <p>Every problem is a finding (ARCHIVE_*); nothing here throws out to the decomposer.
 */
final class ArchiveExpander {
    static final int MAX_NAME_CHARS = 512;
    /**
     * Decoder memory limit for xz, LZMA and 7z, in KiB: enough for a 64 MiB dictionary (xz -9, 7z ultra); a header
     * asking for more is ARCHIVE_CORRUPT (MemoryLimitException), never an allocation of what it declares.
     */
    private static final int DECODER_MEMORY_KIB = 72 * 1024;
    private static final int MAX_TEXT_BLOCKS = 1000;

    /** Parses a message found inside an item (an attached .eml, a mailbox) into items under the given path. */
    @FunctionalInterface
    interface EmbeddedMessages {
        void parse(String path, byte[] message, int depth, DecompositionState state);
    }

    private final EmbeddedMessages messages;
    private final ZipExpander zips = new ZipExpander(this);
    private final TnefExpander tnef = new TnefExpander(this);
    private final Ole2Expander ole2 = new Ole2Expander(this);
    private final PdfExpander pdf = new PdfExpander(this);
    private final CabExpander cab = new CabExpander(this);
    private final SzddExpander szdd = new SzddExpander(this);
    private final RtfExpander rtf = new RtfExpander(this);
    private final SisExpander sis = new SisExpander(this);
    private final PeOverlayExpander pe = new PeOverlayExpander(this);

    ArchiveExpander(EmbeddedMessages messages) {
        this.messages = messages;
    }

    /**
     * Unpacks the item when its bytes (or, failing those, its name) say it is an archive or container, or when it
     * holds encoded files as text; its entries get the item's depth + 1.
     *
     * @param filename the item's file name: a hint for the format, and the name of a gzip/bzip2/xz stream's content
     */
    void expandIfArchive(ScanItem item, String filename, DecompositionState state) {
        byte[] d = item.content();
        ArchiveFormat format = ArchiveFormat.detect(filename, d);
        if (format == ArchiveFormat.PE) {
            PeOverlayExpander.Overlay overlay = PeOverlayExpander.inspect(d);
            if (overlay != null && checkBudgets(item.path(), item.depth() + 1, state)) {
                guarded(format, item.path(), () -> pe.expand(item.path(), d, overlay, item.depth() + 1, state), state);
            }
            return;
        }
        if (format == ArchiveFormat.RTF && !RtfExpander.hasObjects(d)) {
            format = null;
        }
        if (format != null) {
            expand(format, item.path(), filename, d, item.depth() + 1, state);
        } else if (d.length > 0 && EncodedText.mayContain(d)) {
            encodedText(item, state);
        }
    }

    /** Unpacks data known to be in the given format (a self-extractor's payload) under {@code archivePath}. */
    void expandFormat(ArchiveFormat format, String archivePath, String filename, byte[] data, int entryDepth,
            DecompositionState state) {
        expand(format, archivePath, filename, data, entryDepth, state);
    }

    /** Files encoded in text (uuencode, begin-base64, BinHex, data: URIs) become items {@code <tag>:<name>}. */
    private void encodedText(ScanItem item, DecompositionState state) {
        List<EncodedText.Block> blocks = EncodedText.find(item.content(), MAX_TEXT_BLOCKS,
                state.limits().maxItemBytes());
        if (blocks.isEmpty() || !checkBudgets(item.path(), item.depth() + 1, state)) {
            return;
        }
        for (EncodedText.Block b : blocks) {
            if (b.problem() != null) {
                state.failure(ARCHIVE_CORRUPT, b.tag() + ": " + safeName(b.name()) + " in " + item.path() + " is "
                        + "damaged: " + b.problem());
            }
            ScanItem child = entry(b.tag(), item.path(), b.name(), item.depth() + 1,
                    new ByteArrayInputStream(b.bytes()), state);
            if (child == null) {
                return;
            }
            expandIfArchive(child, child.filename(), state);
        }
    }

    /**
     * Reads one entry of a container as the item {@code archivePath/tag:name} within the budgets (time, expanded
     * bytes, entries, depth).
     *
     * @return the item, or null when a budget is spent (reported; the caller stops)
     */
    ScanItem entry(String tag, String archivePath, String name, int depth, InputStream in, DecompositionState state) {
        return entry(tag, archivePath, name, name, depth, in, state);
    }

    /** Like {@link #entry(String, String, String, int, InputStream, DecompositionState)}, with a file name that is not
     * the entry's name in its container (an Outlook attachment's data stream carries the attachment's name). */
    ScanItem entry(String tag, String archivePath, String name, String filename, int depth, InputStream in,
            DecompositionState state) {
        if (!checkBudgets(archivePath, depth, state) || !takeEntry(archivePath, state)) {
            return null;
        }
        return state.readEntry(archivePath + "/" + tag + ":" + safeName(name), safeName(filename), depth, in);
    }

    /** Time, total bytes and depth: false (with the finding) when one of them forbids unpacking more. */
    private static boolean checkBudgets(String archivePath, int entryDepth, DecompositionState state) {
        if (state.timeUp(archivePath) || full(archivePath, state)) {
            return false;
        }
        if (entryDepth > state.limits().maxDepth()) {
            state.limit(ARCHIVE_DEPTH, "depth", archivePath + " is nested deeper than " + state.limits().maxDepth()
                    + " levels; not unpacked");
            return false;
        }
        return true;
    }

    private void expand(ArchiveFormat format, String archivePath, String filename, byte[] data, int entryDepth,
            DecompositionState state) {
        switch (format) {
            case RAR -> {
                state.failure(ARCHIVE_UNSCANNABLE, "rar: no open decoder (" + archivePath + ")");
                return;
            }
            case CHM -> {
                state.failure(ARCHIVE_UNSCANNABLE, "chm: " + archivePath + " is a compiled HTML help file (LZX), "
                        + "which has no decoder here");
                return;
            }
            case ISCAB -> {
                state.failure(ARCHIVE_UNSCANNABLE, "iscab: " + archivePath + " is an InstallShield cabinet, which "
                        + "has no decoder here");
                return;
            }
            default -> {
            }
        }
        if (!checkBudgets(archivePath, entryDepth, state)) {
            return;
        }
        guarded(format, archivePath, () -> {
            switch (format) {
                case ZIP -> zips.expand(archivePath, data, entryDepth, state);
                case SEVEN_Z -> sevenZ(archivePath, data, entryDepth, state);
                case GZIP, BZIP2, XZ -> single(format, archivePath, filename, data, entryDepth, state);
                case TNEF -> tnef.expand(archivePath, data, entryDepth, state);
                case OLE2 -> ole2.expand(archivePath, data, entryDepth, state);
                case PDF -> pdf.expand(archivePath, data, entryDepth, state);
                case CAB -> cab.expand(archivePath, data, entryDepth, state);
                case SZDD -> szdd.expand(archivePath, filename, data, entryDepth, state);
                case RTF -> rtf.expand(archivePath, data, entryDepth, state);
                case SIS -> sis.expand(archivePath, data, entryDepth, state);
                case MAIL -> mail(archivePath, data, entryDepth, state);
                case PE -> {
                    PeOverlayExpander.Overlay overlay = PeOverlayExpander.inspect(data);
                    if (overlay != null) {
                        pe.expand(archivePath, data, overlay, entryDepth, state);
                    }
                }
                default -> stream(format, archivePath, data, entryDepth, state);
            }
        }, state);
    }

    /** Runs an expander; a decoder bug on hostile input must not take the worker down: the item is reported. */
    private static void guarded(ArchiveFormat format, String archivePath, Runnable expander, DecompositionState state) {
        try {
            expander.run();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            state.failure(ARCHIVE_CORRUPT, format.tag + ": " + archivePath + " could not be unpacked ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** An attached message or a mailbox: each message is parsed like the top-level one. */
    private void mail(String archivePath, byte[] data, int depth, DecompositionState state) {
        List<int[]> found = MailSniffer.messages(data, MAX_TEXT_BLOCKS);
        for (int i = 0; i < found.size(); i++) {
            int[] m = found.get(i);
            if (state.timeUp(archivePath)) {
                return;
            }
            String prefix = archivePath + "/eml" + (found.size() > 1 ? String.valueOf(i + 1) : "") + ":";
            messages.parse(prefix, Arrays.copyOfRange(data, m[0], m[1]), depth, state);
        }
    }

    /** gzip, bzip2 or xz: one stream, one item (named from the gzip header, else the outer name minus suffix). */
    private void single(ArchiveFormat format, String archivePath, String filename, byte[] data, int depth,
            DecompositionState state) {
        if (!takeEntry(archivePath, state)) {
            return;
        }
        InputStream in;
        GzipMembers gzip = null;
        String name = ArchiveFormat.innerName(filename);
        try {
            in = switch (format) {
                case GZIP -> {
                    gzip = new GzipMembers(data);
                    if (gzip.firstName != null && !gzip.firstName.isBlank()) {
                        name = gzip.firstName;
                    }
                    yield gzip;
                }
                case BZIP2 -> new BZip2CompressorInputStream(new ByteArrayInputStream(data), true);
                default -> new XZCompressorInputStream(new ByteArrayInputStream(data), true, DECODER_MEMORY_KIB);
            };
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, format.tag + ": " + archivePath + " has a corrupt header ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        name = safeName(name);
        String path = archivePath + "/" + format.tag + ":" + name;
        ScanItem item;
        try (in) {
            item = state.readEntry(path, name, depth, in);
        } catch (IOException e) {
            return; // closing an in-memory stream
        }
        state.checkRatio(path, item.content().length, data.length);
        expandIfArchive(item, name, state);
        if (gzip != null && gzip.trailingStart > 0) {
            trailing(format, archivePath, data, gzip.trailingStart, depth, state);
        }
    }

    /**
     * The members of a gzip file one after another (as gunzip reads them), stopping at the first data that is not a
     * gzip member: its offset is {@link #trailingStart}, so it can be reported and scanned rather than lost in a
     * decoder error.
     */
    private static final class GzipMembers extends InputStream {
        private final byte[] data;
        private final ByteArrayInputStream source;
        private GzipCompressorInputStream member;
        final String firstName;
        int trailingStart = -1;

        GzipMembers(byte[] data) throws IOException {
            this.data = data;
            this.source = new ByteArrayInputStream(data);
            this.member = open();
            this.firstName = member.getMetaData().getFileName();
        }

        private GzipCompressorInputStream open() throws IOException {
            // The source supports mark/reset, so each member leaves it right after its own trailer.
            return GzipCompressorInputStream.builder().setInputStream(source).setDecompressConcatenated(false).get();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                if (member == null) {
                    return -1;
                }
                int n = member.read(b, off, len);
                if (n != -1) {
                    return n;
                }
                int pos = data.length - source.available();
                if (pos + 1 < data.length && (data[pos] & 0xFF) == 0x1f && (data[pos + 1] & 0xFF) == 0x8b) {
                    member = open();
                } else {
                    trailingStart = pos < data.length ? pos : -1;
                    member = null;
                }
            }
        }
    }

    /** tar, cpio, ar, arj: entries in sequence. */
    private void stream(ArchiveFormat format, String archivePath, byte[] data, int depth, DecompositionState state) {
        ArchiveInputStream<? extends ArchiveEntry> ain;
        try {
            ByteArrayInputStream in = new ByteArrayInputStream(data);
            ain = switch (format) {
                // 512-byte blocks: the reader stops right after the end marker, so trailing data can be found
                case TAR -> new TarArchiveInputStream(in, 512);
                case CPIO -> new CpioArchiveInputStream(in);
                case AR -> new ArArchiveInputStream(in);
                case ARJ -> new ArjArchiveInputStream(in);
                default -> throw new IllegalArgumentException(format.name());
            };
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, format.tag + ": " + archivePath + " has a corrupt header ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        try (ain) {
            int entries = 0;
            while (true) {
                ArchiveEntry entry;
                try {
                    entry = ain.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    state.failure(ARCHIVE_CORRUPT, format.tag + ": " + archivePath + " has a corrupt entry header"
                            + " after " + entries + " entries (" + e.getClass().getSimpleName() + ")");
                    return;
                }
                if (entry == null) {
                    if (entries == 0 && format == ArchiveFormat.TAR && !allZero(data, 0)) {
                        state.failure(ARCHIVE_CORRUPT, "tar: " + archivePath + " has no readable entry");
                    } else if (format != ArchiveFormat.ARJ) { // the ARJ reader does not count entry data
                        trailing(format, archivePath, data, ain.getBytesRead(), depth, state);
                    }
                    return;
                }
                entries++;
                if (entry.isDirectory()) {
                    continue;
                }
                if (state.timeUp(archivePath) || full(archivePath, state) || !takeEntry(archivePath, state)) {
                    return;
                }
                String name = safeName(entry.getName());
                String path = archivePath + "/" + format.tag + ":" + name;
                if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink()
                        || tar.isCharacterDevice() || tar.isBlockDevice() || tar.isFIFO())) {
                    // links, devices, FIFOs: no data of their own; the name is still checked
                    state.addNameOnly(path, name, null, depth);
                    continue;
                }
                if (!ain.canReadEntryData(entry)) {
                    // ARJ: Commons Compress reads stored entries only; compressed ones are real, not decodable here
                    boolean arj = format == ArchiveFormat.ARJ;
                    state.failure(arj ? ARCHIVE_UNSCANNABLE : ARCHIVE_CORRUPT, format.tag + ": " + path
                            + (arj ? " is compressed (ARJ methods 1-4 have no decoder here)"
                            : " uses an unsupported method"));
                    state.addNameOnly(path, name, null, depth);
                    continue;
                }
                ScanItem item = state.readEntry(path, name, depth, shield(ain));
                checkComplete(format, path, entry.getSize(), item, state);
                expandIfArchive(item, name, state);
            }
        } catch (IOException e) {
            // closing an in-memory stream
        }
    }

    private void sevenZ(String archivePath, byte[] data, int depth, DecompositionState state) {
        SevenZFile seven;
        try {
            seven = SevenZFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(data))
                    .setMaxMemoryLimitKiB(DECODER_MEMORY_KIB).setTryToRecoverBrokenArchives(false).get();
        } catch (PasswordRequiredException e) {
            state.failure(ARCHIVE_ENCRYPTED, "7z: encrypted headers in " + archivePath);
            return;
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "7z: " + archivePath + " could not be opened ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        try (seven) {
            while (true) {
                SevenZArchiveEntry entry;
                try {
                    entry = seven.getNextEntry();
                } catch (PasswordRequiredException e) {
                    state.failure(ARCHIVE_ENCRYPTED, "7z: encrypted entries in " + archivePath);
                    return;
                } catch (IOException | RuntimeException e) {
                    state.failure(ARCHIVE_CORRUPT, "7z: " + archivePath + " has a corrupt entry ("
                            + e.getClass().getSimpleName() + ")");
                    return;
                }
                if (entry == null) {
                    return;
                }
                if (entry.isDirectory() || entry.isAntiItem()) {
                    continue;
                }
                if (state.timeUp(archivePath) || full(archivePath, state) || !takeEntry(archivePath, state)) {
                    return;
                }
                String name = safeName(entry.getName());
                String path = archivePath + "/7z:" + name;
                if (!entry.hasStream()) {
                    state.addNameOnly(path, name, null, depth);
                    continue;
                }
                ScanItem item;
                try {
                    item = state.readEntry(path, name, depth, shield(seven.getInputStream(entry)));
                } catch (PasswordRequiredException e) {
                    state.failure(ARCHIVE_ENCRYPTED, "7z: encrypted entry " + path);
                    state.addNameOnly(path, name, null, depth);
                    continue;
                } catch (IOException | RuntimeException e) {
                    state.failure(ARCHIVE_CORRUPT, "7z: " + path + " could not be opened ("
                            + e.getClass().getSimpleName() + ")");
                    state.addNameOnly(path, name, null, depth);
                    continue;
                }
                checkComplete(ArchiveFormat.SEVEN_Z, path, entry.getSize(), item, state);
                // Solid blocks hide per-entry sizes: no entry can be compressed into more than the whole archive.
                state.checkRatio(path, item.content().length, data.length);
                expandIfArchive(item, name, state);
            }
        } catch (IOException e) {
            // closing an in-memory channel
        }
    }

    /**
     * A stream that ends before the entry's declared size without an error (a truncated tar, cpio or ar) is corrupt:
     * the missing bytes were never scanned. Entries cut by a size limit already have their limit finding.
     */
    static void checkComplete(ArchiveFormat format, String path, long declared, ScanItem item,
            DecompositionState state) {
        long read = item.content().length;
        if (declared > read && read < state.limits().maxItemBytes() && !state.expandedFull()
                && !state.lastReadFailed()) {
            state.failure(ARCHIVE_CORRUPT, format.tag + ": " + path + " is truncated (" + read + " of " + declared
                    + " bytes)");
        }
    }

    /** Whether the expansion budget is spent (ARCHIVE_EXPANDED): nothing more is unpacked. */
    static boolean full(String archivePath, DecompositionState state) {
        if (state.expandedFull()) {
            state.limit(DecompositionSymbols.ARCHIVE_EXPANDED, "total-bytes", "more than "
                    + state.limits().maxTotalBytes() + " decoded bytes in all; scanning stopped at " + archivePath);
            return true;
        }
        return false;
    }

    /** Counts one entry against the message's budget; false (with ARCHIVE_ENTRIES) once it is spent. */
    static boolean takeEntry(String archivePath, DecompositionState state) {
        if (!state.takeArchiveEntry()) {
            state.limit(ARCHIVE_ENTRIES, "entries", "more than " + state.limits().maxArchiveEntries()
                    + " archive entries; entries from " + archivePath + " on were not scanned");
            return false;
        }
        return true;
    }

    /** The entry's data is the archive stream itself: read it, never close it. */
    static InputStream shield(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    static String safeName(String name) {
        String n = name == null || name.isEmpty() ? "(unnamed)" : name;
        n = n.replaceAll("\\p{Cntrl}", "?");
        return shorten(n, MAX_NAME_CHARS);
    }

    /** A name cut to {@code max} characters in the middle, so that its extension (what Windows acts on) stays. */
    static String shorten(String n, int max) {
        if (n.length() <= max) {
            return n;
        }
        int tail = max / 2;
        return n.substring(0, max - tail - 3) + "..." + n.substring(n.length() - tail);
    }

    /**
     * Data after the end of a tar, cpio, ar or gzip (zero padding aside) is ARCHIVE_CONCATENATED: stream readers
     * stop at the end marker, so whatever follows would pass unseen. It is scanned as one more item (and unpacked
     * when it is an archive).
     */
    private void trailing(ArchiveFormat format, String archivePath, byte[] data, long consumed, int depth,
            DecompositionState state) {
        if (consumed <= 0 || consumed >= data.length || allZero(data, (int) consumed)) {
            return;
        }
        int start = (int) consumed;
        while (data[start] == 0) {
            start++; // block padding
        }
        int extra = data.length - start;
        state.failure(DecompositionSymbols.ARCHIVE_CONCATENATED, format.tag + ": " + archivePath + ": " + extra
                + " bytes after the end of the archive");
        if (!takeEntry(archivePath, state)) {
            return;
        }
        String path = archivePath + "/" + format.tag + ":(trailing data)";
        ScanItem item = state.readEntry(path, null, depth,
                new ByteArrayInputStream(data, start, extra));
        expandIfArchive(item, null, state);
    }

    private static boolean allZero(byte[] d, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
