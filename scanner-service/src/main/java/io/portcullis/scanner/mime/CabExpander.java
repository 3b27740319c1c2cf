package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.ByteSearch.u16;
import static io.portcullis.scanner.mime.ByteSearch.u32;
import static io.portcullis.scanner.mime.ByteSearch.u8;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_UNSCANNABLE;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Microsoft Cabinet files (magic {@code MSCF}), read here because no maintained open Java library exists: folders
 * stored uncompressed or with MSZIP (each data block {@code CK} + deflate, the window carried over from the previous
 * block, java.util.zip) are unpacked into items {@code cab:<name>}; LZX and Quantum folders and files continued in
 * another cabinet are ARCHIVE_UNSCANNABLE. Data block checksums (when set) and sizes are verified: a mismatch is
 * ARCHIVE_CORRUPT. A folder is decoded at most up to the message's remaining expansion budget.
 */
final class CabExpander {
    private static final int FLAG_PREV = 1;
    private static final int FLAG_NEXT = 2;
    private static final int FLAG_RESERVE = 4;
    private static final int MAX_BLOCK = 32768;

    private final ArchiveExpander archives;

    CabExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    private record Folder(long dataOffset, int blocks, int method) {
    }

    private record CabFile(String name, long size, long offset, int folder) {
    }

    /** Thrown for a structural error; its message says what is wrong. */
    private static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    void expand(String archivePath, byte[] d, int depth, DecompositionState state) {
        try {
            read(archivePath, d, depth, state);
        } catch (Corrupt e) {
            state.failure(ARCHIVE_CORRUPT, "cab: " + archivePath + " " + e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            state.failure(ARCHIVE_CORRUPT, "cab: " + archivePath + " is truncated in its headers");
        }
    }

    private void read(String archivePath, byte[] d, int depth, DecompositionState state) throws Corrupt {
        if (d.length < 36) {
            throw new Corrupt("is truncated in its header");
        }
        long cabSize = u32(d, 8);
        long filesOffset = u32(d, 16);
        int folders = u16(d, 26);
        int files = u16(d, 28);
        int flags = u16(d, 30);
        if (cabSize > d.length) {
            throw new Corrupt("is truncated (" + d.length + " of " + cabSize + " bytes)");
        }
        if (cabSize < d.length) {
            state.failure(DecompositionSymbols.ARCHIVE_CONCATENATED, "cab: " + archivePath + ": "
                    + (d.length - cabSize) + " bytes after the end of the cabinet");
        }
        int p = 36;
        int folderReserve = 0;
        int dataReserve = 0;
        if ((flags & FLAG_RESERVE) != 0) {
            int headerReserve = u16(d, 36);
            folderReserve = u8(d, 38);
            dataReserve = u8(d, 39);
            p = 40 + headerReserve;
        }
        if ((flags & FLAG_PREV) != 0) {
            p = skipString(d, skipString(d, p));
        }
        if ((flags & FLAG_NEXT) != 0) {
            p = skipString(d, skipString(d, p));
        }
        List<Folder> folderList = new ArrayList<>();
        for (int i = 0; i < folders; i++) {
            folderList.add(new Folder(u32(d, p), u16(d, p + 4), u16(d, p + 6)));
            p += 8 + folderReserve;
        }
        List<CabFile> fileList = new ArrayList<>();
        p = (int) Math.min(filesOffset, Integer.MAX_VALUE);
        for (int i = 0; i < files; i++) {
            boolean utf8 = (u16(d, p + 14) & 0x80) != 0;
            String name = ByteSearch.cString(d, p + 16, 1024, utf8);
            fileList.add(new CabFile(name, u32(d, p + 0), u32(d, p + 4), u16(d, p + 8)));
            p += 16 + name.getBytes(utf8 ? java.nio.charset.StandardCharsets.UTF_8
                    : java.nio.charset.StandardCharsets.ISO_8859_1).length + 1;
            if (p > d.length) {
                throw new Corrupt("is truncated in its file list");
            }
        }
        java.util.Map<Integer, List<CabFile>> byFolder = new java.util.HashMap<>();
        for (CabFile file : fileList) {
            byFolder.computeIfAbsent(file.folder(), k -> new ArrayList<>()).add(file);
        }
        for (int f = 0; f < folderList.size(); f++) {
            Folder folder = folderList.get(f);
            List<CabFile> inFolder = byFolder.getOrDefault(f, new ArrayList<>());
            if (inFolder.isEmpty()) {
                continue;
            }
            inFolder.sort(Comparator.comparingLong(CabFile::offset));
            int method = folder.method() & 0x0F;
            if (method != 0 && method != 1) {
                state.failure(ARCHIVE_UNSCANNABLE, "cab: " + archivePath + " folder " + (f + 1) + " uses "
                        + (method == 2 ? "Quantum" : method == 3 ? "LZX" : "method " + method)
                        + " compression, which has no decoder here; " + inFolder.size() + " file(s) not scanned");
                for (CabFile file : inFolder) {
                    names(archivePath, file, depth, state);
                }
                continue;
            }
            if (!folder(archivePath, d, folder, dataReserve, inFolder, depth, state)) {
                return;
            }
        }
        for (CabFile file : fileList) {
            if (file.folder() >= 0xFFFD) {
                state.failure(ARCHIVE_UNSCANNABLE, "cab: " + archivePath + ": " + ArchiveExpander.safeName(
                        file.name()) + " continues in another cabinet; not scanned");
                names(archivePath, file, depth, state);
            } else if (file.folder() >= folderList.size()) {
                throw new Corrupt("lists a file in folder " + file.folder() + " of " + folderList.size());
            }
        }
    }

    private void names(String archivePath, CabFile file, int depth, DecompositionState state) {
        String name = ArchiveExpander.safeName(file.name());
        state.addNameOnly(archivePath + "/cab:" + name, name, null, depth);
    }

    /** Decodes one folder (up to the expansion budget) and adds its files; false once a budget is spent. */
    private boolean folder(String archivePath, byte[] d, Folder folder, int dataReserve, List<CabFile> files,
            int depth, DecompositionState state) throws Corrupt {
        long needed = files.stream().mapToLong(f -> f.offset() + f.size()).max().orElse(0);
        long cap = Math.min(Math.min(needed, state.remainingBytes()), Integer.MAX_VALUE - 16);
        boolean stored = (folder.method() & 0x0F) == 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(cap, 1 << 20));
        Inflater inflater = new Inflater(true);
        byte[] window = new byte[0];
        long compressed = 0;
        String problem = null;
        try {
            int p = (int) Math.min(folder.dataOffset(), Integer.MAX_VALUE);
            for (int b = 0; b < folder.blocks() && out.size() < cap; b++) {
                if (state.timeUp(archivePath)) {
                    return false;
                }
                if (p + 8 + dataReserve > d.length) {
                    problem = "is truncated in data block " + (b + 1);
                    break;
                }
                long sum = u32(d, p);
                int cbData = u16(d, p + 4);
                int cbUncomp = u16(d, p + 6);
                int at = p + 8 + dataReserve;
                if (at + cbData > d.length) {
                    problem = "is truncated in data block " + (b + 1);
                    break;
                }
                if (sum != 0 && sum != checksum(d, p + 4, at, cbData)) {
                    problem = "fails the checksum of data block " + (b + 1);
                    break;
                }
                if (cbUncomp > MAX_BLOCK) {
                    problem = "has data block " + (b + 1) + " larger than 32 KiB";
                    break;
                }
                compressed += cbData;
                byte[] block;
                if (stored) {
                    if (cbData != cbUncomp) {
                        problem = "has a stored data block " + (b + 1) + " whose sizes disagree";
                        break;
                    }
                    block = Arrays.copyOfRange(d, at, at + cbData);
                } else {
                    if (cbData < 2 || d[at] != 'C' || d[at + 1] != 'K') {
                        problem = "has MSZIP data block " + (b + 1) + " without its CK signature";
                        break;
                    }
                    block = new byte[cbUncomp];
                    inflater.reset();
                    if (window.length > 0) {
                        inflater.setDictionary(window);
                    }
                    inflater.setInput(d, at + 2, cbData - 2);
                    int n = 0;
                    while (n < cbUncomp && !inflater.finished()) {
                        int k = inflater.inflate(block, n, cbUncomp - n);
                        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                            break;
                        }
                        n += k;
                    }
                    if (n != cbUncomp) {
                        problem = "has MSZIP data block " + (b + 1) + " that decodes to " + n + " of " + cbUncomp
                                + " bytes";
                        break;
                    }
                    window = block.length >= MAX_BLOCK ? block : concatTail(window, block);
                }
                out.write(block, 0, (int) Math.min(block.length, cap - out.size()));
                p = at + cbData;
            }
        } catch (DataFormatException e) {
            problem = "has a corrupt MSZIP data block";
        } finally {
            inflater.end();
        }
        if (problem != null) {
            state.failure(ARCHIVE_CORRUPT, "cab: " + archivePath + " " + problem);
        }
        byte[] data = out.toByteArray();
        if (data.length < needed && problem == null) {
            if (data.length >= cap && cap < needed) {
                state.limit(DecompositionSymbols.ARCHIVE_EXPANDED, "total-bytes", "more than "
                        + state.limits().maxTotalBytes() + " decoded bytes in all; scanning stopped at " + archivePath);
            } else {
                state.failure(ARCHIVE_CORRUPT, "cab: " + archivePath + " has less folder data (" + data.length
                        + " bytes) than its files need (" + needed + ")");
            }
        }
        if (!stored) {
            state.checkRatio(archivePath + "/cab:(folder)", data.length, compressed);
        }
        for (CabFile file : files) {
            int from = (int) Math.min(file.offset(), data.length);
            int to = (int) Math.min(file.offset() + file.size(), data.length);
            ScanItem item = archives.entry("cab", archivePath, file.name(), depth,
                    new ByteArrayInputStream(data, from, to - from), state);
            if (item == null) {
                return false;
            }
            archives.expandIfArchive(item, item.filename(), state);
        }
        return true;
    }

    private static byte[] concatTail(byte[] window, byte[] block) {
        int keep = Math.min(window.length, MAX_BLOCK - block.length);
        byte[] w = new byte[keep + block.length];
        System.arraycopy(window, window.length - keep, w, 0, keep);
        System.arraycopy(block, 0, w, keep, block.length);
        return w;
    }

    /** The CFDATA checksum: over the data, then over cbData and cbUncomp. */
    static long checksum(byte[] d, int sizesAt, int dataAt, int cbData) {
        long csum = compute(d, dataAt, cbData, 0);
        return compute(d, sizesAt, 4, csum);
    }

    private static long compute(byte[] d, int from, int len, long seed) {
        long csum = seed;
        int p = from;
        for (int i = 0; i < len / 4; i++, p += 4) {
            csum ^= u32(d, p);
        }
        long ul = 0;
        switch (len % 4) {
            case 3 -> ul = (long) u8(d, p) << 16 | (long) u8(d, p + 1) << 8 | u8(d, p + 2);
            case 2 -> ul = (long) u8(d, p) << 8 | u8(d, p + 1);
            case 1 -> ul = u8(d, p);
            default -> {
            }
        }
        return (csum ^ ul) & 0xFFFFFFFFL;
    }

    private static int skipString(byte[] d, int p) {
        int i = p;
        while (d[i] != 0) {
            i++;
        }
        return i + 1;
    }
}
