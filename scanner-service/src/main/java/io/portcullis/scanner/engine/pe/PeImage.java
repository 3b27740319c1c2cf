package io.portcullis.scanner.engine.pe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The headers and section table of a Windows PE file, read from bytes with every offset checked: a malformed file
 * is {@link Optional#empty()}, never an exception. Raw section pointers are rounded down to 512 bytes and raw sizes
 * clipped to the file, as the Windows loader does, so that tricks like Upack's header-overlapping sections resolve
 * to the bytes the loader would map.
 */
public final class PeImage {
    /** Windows refuses more sections than this. */
    static final int MAX_SECTIONS = 96;
    private static final int SECTION_HEADER = 40;
    private static final int MAGIC_PE32 = 0x10b;
    private static final int MAGIC_PE32_PLUS = 0x20b;

    private final byte[] bytes;
    private final int peOffset;
    private final boolean pe32Plus;
    private final long entryPoint;
    private final long sizeOfHeaders;
    private final List<Section> sections;

    /**
     * One section header.
     *
     * @param rawName         the 8 name bytes as stored (NUL padded)
     * @param virtualAddress  RVA of the section
     * @param virtualSize     size in memory
     * @param rawOffset       file offset of its data (rounded down to 512 as the loader does)
     * @param rawSize         bytes of data in the file (clipped to the file length)
     * @param characteristics section flags
     */
    public record Section(byte[] rawName, long virtualAddress, long virtualSize, int rawOffset, int rawSize,
                          long characteristics) {
        static final long EXECUTE = 0x20000000L;
        static final long WRITE = 0x80000000L;
        static final long CODE = 0x20L;

        /** The name up to its first NUL, as printable ASCII. */
        public String name() {
            int n = 0;
            while (n < rawName.length && rawName[n] != 0) {
                n++;
            }
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                int c = rawName[i] & 0xFF;
                b.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
            return b.toString();
        }

        public boolean executable() {
            return (characteristics & (EXECUTE | CODE)) != 0;
        }

        public boolean writable() {
            return (characteristics & WRITE) != 0;
        }

        /** Whether an RVA falls in this section's memory image. */
        boolean contains(long rva) {
            long size = Math.max(virtualSize, rawSize);
            return rva >= virtualAddress && rva < virtualAddress + size;
        }
    }

    private PeImage(byte[] bytes, int peOffset, boolean pe32Plus, long entryPoint, long sizeOfHeaders,
                    List<Section> sections) {
        this.bytes = bytes;
        this.peOffset = peOffset;
        this.pe32Plus = pe32Plus;
        this.entryPoint = entryPoint;
        this.sizeOfHeaders = sizeOfHeaders;
        this.sections = List.copyOf(sections);
    }

    /** Cheap check: "MZ" and room for a DOS header. */
    public static boolean looksLikeMz(byte[] b) {
        return b != null && b.length >= 64 && b[0] == 'M' && b[1] == 'Z';
    }

    /** Parses the headers; empty for anything that is not a well-formed enough PE file. */
    public static Optional<PeImage> parse(byte[] b) {
        if (!looksLikeMz(b)) {
            return Optional.empty();
        }
        long lfanew = u32(b, 0x3c);
        if (lfanew < 4 || lfanew > b.length - 24L) {
            return Optional.empty();
        }
        int pe = (int) lfanew;
        if (b[pe] != 'P' || b[pe + 1] != 'E' || b[pe + 2] != 0 || b[pe + 3] != 0) {
            return Optional.empty();
        }
        int sectionCount = u16(b, pe + 6);
        int optionalSize = u16(b, pe + 20);
        int optional = pe + 24;
        if (sectionCount == 0 || sectionCount > MAX_SECTIONS || optional + 2L > b.length) {
            return Optional.empty();
        }
        int magic = u16(b, optional);
        boolean plus;
        if (magic == MAGIC_PE32) {
            plus = false;
        } else if (magic == MAGIC_PE32_PLUS) {
            plus = true;
        } else {
            return Optional.empty();
        }
        // AddressOfEntryPoint at +16, SizeOfHeaders at +60 for both PE32 and PE32+
        if (optional + 64L > b.length) {
            return Optional.empty();
        }
        long entry = u32(b, optional + 16);
        long headers = u32(b, optional + 60);
        long table = (long) optional + optionalSize;
        if (table + (long) sectionCount * SECTION_HEADER > b.length) {
            return Optional.empty();
        }
        List<Section> sections = new ArrayList<>(sectionCount);
        for (int i = 0; i < sectionCount; i++) {
            int s = (int) table + i * SECTION_HEADER;
            byte[] name = new byte[8];
            System.arraycopy(b, s, name, 0, 8);
            long vsize = u32(b, s + 8);
            long va = u32(b, s + 12);
            long rsize = u32(b, s + 16);
            long rptr = u32(b, s + 20) & ~0x1FFL;
            long characteristics = u32(b, s + 36);
            int rawOffset = (int) Math.min(rptr, b.length);
            int rawSize = (int) Math.max(0, Math.min(rsize, b.length - (long) rawOffset));
            sections.add(new Section(name, va, vsize, rawOffset, rawSize, characteristics));
        }
        return Optional.of(new PeImage(b, pe, plus, entry, headers, sections));
    }

    public boolean pe32Plus() {
        return pe32Plus;
    }

    public long entryPoint() {
        return entryPoint;
    }

    public List<Section> sections() {
        return sections;
    }

    /** File offset of the PE signature. */
    public int peOffset() {
        return peOffset;
    }

    /** The section the entry point lies in, if any (an entry point in the headers has none). */
    public Optional<Section> entrySection() {
        for (Section s : sections) {
            if (s.contains(entryPoint)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** File offset of an RVA, or -1 when it has no bytes in the file. */
    public int fileOffset(long rva) {
        for (Section s : sections) {
            if (s.contains(rva)) {
                long delta = rva - s.virtualAddress();
                return delta < s.rawSize() ? (int) (s.rawOffset() + delta) : -1;
            }
        }
        long firstSection = sections.stream().mapToLong(Section::virtualAddress).min().orElse(0);
        if (rva >= 0 && rva < Math.max(sizeOfHeaders, firstSection) && rva < bytes.length) {
            return (int) rva;
        }
        return -1;
    }

    /** Up to {@code n} bytes at the entry point (fewer near the end of the file, none when it has no bytes). */
    public byte[] entryBytes(int n) {
        int off = fileOffset(entryPoint);
        if (off < 0) {
            return new byte[0];
        }
        int len = Math.min(n, bytes.length - off);
        byte[] out = new byte[len];
        System.arraycopy(bytes, off, out, 0, len);
        return out;
    }

    /** The first byte after the last section's data (where an overlay starts), at most the file length. */
    public int overlayOffset() {
        long end = Math.min(Math.max(sizeOfHeaders, 0), bytes.length);
        for (Section s : sections) {
            end = Math.max(end, (long) s.rawOffset() + s.rawSize());
        }
        return (int) Math.min(end, bytes.length);
    }

    /** Shannon entropy of a section's raw bytes in bits per byte (0 for an empty section). */
    public double entropy(Section s) {
        return entropy(bytes, s.rawOffset(), s.rawSize());
    }

    /** The whole file. */
    byte[] bytes() {
        return bytes;
    }

    static double entropy(byte[] b, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        int[] counts = new int[256];
        for (int i = off; i < off + len; i++) {
            counts[b[i] & 0xFF]++;
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / len;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }

    static String ascii(byte[] b, int off, int len) {
        if (off < 0 || off + len > b.length) {
            return "";
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        if (off < 0 || off + 4 > b.length) {
            return -1;
        }
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
