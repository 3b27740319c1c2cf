package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CONCATENATED;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENCRYPTED;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENTRIES;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_HEADER_MISMATCH;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_OVERLAP;
import static io.portcullis.scanner.mime.ZipStructure.le16;
import static io.portcullis.scanner.mime.ZipStructure.le32;
import static io.portcullis.scanner.mime.ZipStructure.le64;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Unpacks zip archives into scan items, reading the central directory like desktop tools do, and falling back to the
 * local headers when the directory is missing or unreadable. Before anything is inflated, the raw structure is
 * checked ({@link ZipStructure}): overlapping entries are not unpacked at all.
 */
final class ZipExpander {
    private final ArchiveExpander archives;

    ZipExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    /**
     * Adds the entries of the archive at {@code archivePath} as items of depth {@code entryDepth} (the depth limit is
     * checked by the caller), and unpacks nested archives.
     */
    void expand(String archivePath, byte[] data, int entryDepth, DecompositionState state) {
        DecompositionLimits limits = state.limits();
        ZipStructure structure = ZipStructure.inspect(data, Math.max(1, state.remainingEntries()) + 1);
        if (structure.concatenated() != null) {
            state.failure(ARCHIVE_CONCATENATED, "zip: " + archivePath + ": " + structure.concatenated());
        }
        if (structure.mismatch() != null) {
            state.failure(ARCHIVE_HEADER_MISMATCH, "zip: " + archivePath + ": " + structure.mismatch());
        }
        if (structure.overlap() != null) {
            state.failure(ARCHIVE_OVERLAP, "zip: " + archivePath + ": " + structure.overlap() + "; not unpacked");
            return;
        }
        if (structure.prefixBytes() > 0 && structure.concatenated() != null || structure.mismatch() != null) {
            // What stream readers see (the archive in front, entries the directory hides): scan it too.
            fromLocalHeaders(archivePath, data, entryDepth, state);
        }
        long declared = ZipDirectory.declaredEntries(data);
        if (declared < 0) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + archivePath + " has no zip end-of-central-directory record");
            fromLocalHeaders(archivePath, data, entryDepth, state);
            return;
        }
        // The directory is read whole into memory: count its headers too, the end record may understate them.
        long claimed = Math.max(declared, ZipDirectory.centralHeaders(data));
        if (claimed > state.remainingEntries()) {
            state.limit(ARCHIVE_ENTRIES, "entries", archivePath + " declares " + claimed + " entries, more than the "
                    + limits.maxArchiveEntries() + " allowed per message");
            fromLocalHeaders(archivePath, data, entryDepth, state);
            return;
        }
        ZipFile zip;
        try {
            zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(data))
                    .setUseUnicodeExtraFields(true).get();
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + archivePath + " has an unreadable central directory ("
                    + e.getClass().getSimpleName() + ")");
            fromLocalHeaders(archivePath, data, entryDepth, state);
            return;
        }
        try (zip) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                if (!entry(archivePath, entry, zip.canReadEntryData(entry), () -> zip.getInputStream(entry),
                        entryDepth, state)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + archivePath + " could not be read completely ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private void fromLocalHeaders(String archivePath, byte[] data, int entryDepth, DecompositionState state) {
        try (ZipArchiveInputStream zin = new ZipArchiveInputStream(new ByteArrayInputStream(data), "UTF-8", true,
                true)) {
            while (true) {
                ZipArchiveEntry entry;
                try {
                    entry = zin.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    state.failure(ARCHIVE_CORRUPT, "zip: " + archivePath + " has a corrupt local entry header ("
                            + e.getClass().getSimpleName() + ")");
                    return;
                }
                // The entry's data is the archive stream itself: read it, never close it.
                EntryData shielded = () -> new FilterInputStream(zin) {
                    @Override
                    public void close() {
                    }
                };
                if (entry == null || !entry(archivePath, entry, zin.canReadEntryData(entry), shielded, entryDepth,
                        state)) {
                    return;
                }
            }
        } catch (IOException e) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + archivePath + " could not be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** @return false when no more entries may be read (entry limit) */
    private boolean entry(String archivePath, ZipArchiveEntry entry, boolean readable, EntryData data,
            int depth, DecompositionState state) {
        if (entry.isDirectory()) {
            return true;
        }
        if (state.timeUp(archivePath) || ArchiveExpander.full(archivePath, state)
                || !ArchiveExpander.takeEntry(archivePath, state)) {
            return false;
        }
        String name = ArchiveExpander.safeName(entry.getName());
        String path = archivePath + "/zip:" + name;
        if (entry.getGeneralPurposeBit().usesEncryption()) {
            state.failure(ARCHIVE_ENCRYPTED, "encrypted entry " + path);
            state.addNameOnly(path, name, null, depth);
            return true;
        }
        if (!readable) {
            // a known method without a decoder here (LZMA, PPMd, zstd, ...) is unscannable; an unknown number corrupt
            boolean known = org.apache.commons.compress.archivers.zip.ZipMethod.getMethodByCode(entry.getMethod())
                    != null;
            state.failure(known ? DecompositionSymbols.ARCHIVE_UNSCANNABLE : ARCHIVE_CORRUPT, "zip: " + path
                    + " uses " + (known ? "method " + org.apache.commons.compress.archivers.zip.ZipMethod
                    .getMethodByCode(entry.getMethod()) + ", which has no decoder here" : "unknown method "
                    + entry.getMethod()));
            state.addNameOnly(path, name, null, depth);
            return true;
        }
        ScanItem item;
        try (InputStream in = data.get()) {
            item = state.readEntry(path, name, depth, in);
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + path + " could not be opened ("
                    + e.getClass().getSimpleName() + ")");
            state.addNameOnly(path, name, null, depth);
            return true;
        }
        // Commons Compress checks neither sizes nor CRCs: damaged or tampered data must not pass as checked.
        long read = item.content().length;
        boolean cut = read >= state.limits().maxItemBytes() || state.expandedFull() || state.lastReadFailed();
        if (!cut && entry.getSize() >= 0 && read != entry.getSize()) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + path + " expands to " + read + " bytes, its header says "
                    + entry.getSize());
        } else if (!cut && entry.getCrc() >= 0 && crc32(item.content()) != entry.getCrc()) {
            state.failure(ARCHIVE_CORRUPT, "zip: " + path + " fails its CRC-32 check");
        }
        state.checkRatio(path, item.content().length, entry.getCompressedSize());
        archives.expandIfArchive(item, name, state);
        return true;
    }

    private static long crc32(byte[] content) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(content);
        return crc.getValue();
    }

    /** Reads the entry count a zip declares in its end-of-central-directory record, without trusting the rest. */
    static final class ZipDirectory {
        private static final int EOCD_SIG = 0x06054b50;
        private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
        private static final int ZIP64_EOCD_SIG = 0x06064b50;

        private ZipDirectory() {
        }

        /** @return the declared number of entries, or -1 when there is no end-of-central-directory record */
        static long declaredEntries(byte[] d) {
            int min = Math.max(0, d.length - 22 - 65535);
            for (int i = d.length - 22; i >= min; i--) {
                if (le32(d, i) == EOCD_SIG) {
                    long total = le16(d, i + 10);
                    if (total != 0xFFFF) {
                        return total;
                    }
                    int locator = i - 20;
                    if (locator >= 0 && le32(d, locator) == ZIP64_LOCATOR_SIG) {
                        long offset = le64(d, locator + 8);
                        if (offset >= 0 && offset + 40 <= d.length && le32(d, (int) offset) == ZIP64_EOCD_SIG) {
                            long zip64Total = le64(d, (int) offset + 32);
                            return zip64Total < 0 ? Long.MAX_VALUE : zip64Total;
                        }
                    }
                    return total;
                }
            }
            return -1;
        }

        /** Number of central-directory header signatures in the data (an upper bound of the directory's size). */
        static long centralHeaders(byte[] d) {
            long n = 0;
            for (int i = 0; i + 4 <= d.length; i++) {
                if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 1 && d[i + 3] == 2) {
                    n++;
                    i += 3;
                }
            }
            return n;
        }
    }

    /** Opens one entry's data. */
    @FunctionalInterface
    private interface EntryData {
        InputStream get() throws IOException;
    }
}
