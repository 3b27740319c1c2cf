package io.portcullis.scanner.mime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a zip's raw structure before anything is expanded: entries whose local data ranges overlap (the
 * non-recursive zip bomb), local headers that disagree with the central directory, and data before or after the
 * archive (archives back to back). Reads offsets and sizes only; never inflates, never throws.
 *
 * @param overlap       description of the first overlap, or null
 * @param mismatch      description of the first local/central disagreement, or null
 * @param concatenated  description of extra data around the archive, or null
 * @param prefixBytes   bytes before this archive's first byte (another archive, or a self-extractor stub)
 */
record ZipStructure(String overlap, String mismatch, String concatenated, long prefixBytes) {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int LOC_SIG = 0x04034b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final ZipStructure NONE = new ZipStructure(null, null, null, 0);

    /** @param maxEntries central-directory headers read at most (the entry budget) */
    static ZipStructure inspect(byte[] d, long maxEntries) {
        try {
            return doInspect(d, maxEntries);
        } catch (RuntimeException e) {
            return NONE; // out-of-range fields: the expander reports the archive as corrupt
        }
    }

    private static ZipStructure doInspect(byte[] d, long maxEntries) {
        int eocd = -1;
        int min = Math.max(0, d.length - 22 - 65535);
        for (int i = d.length - 22; i >= min; i--) {
            if (le32(d, i) == EOCD_SIG && i + 22 + le16(d, i + 20) <= d.length) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            return NONE;
        }
        String concatenated = null;
        long end = eocd + 22L + le16(d, eocd + 20);
        if (end < d.length) {
            concatenated = (d.length - end) + " bytes after the end of the zip";
        }
        long total = le16(d, eocd + 10);
        long cdSize = le32(d, eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = le32(d, eocd + 16) & 0xFFFFFFFFL;
        long cdEnd = eocd;
        int locator = eocd - 20;
        if ((total == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) && locator >= 0
                && le32(d, locator) == ZIP64_LOCATOR_SIG) {
            long z = le64(d, locator + 8);
            int z64 = locator - 56; // where the zip64 end record sits when nothing precedes the archive
            if (z64 >= 0 && le32(d, z64) == ZIP64_EOCD_SIG) {
                total = le64(d, z64 + 32);
                cdSize = le64(d, z64 + 40);
                cdOffset = le64(d, z64 + 48);
                cdEnd = z64;
            } else if (z >= 0 && z + 56 <= d.length && le32(d, (int) z) == ZIP64_EOCD_SIG) {
                total = le64(d, (int) z + 32);
                cdSize = le64(d, (int) z + 40);
                cdOffset = le64(d, (int) z + 48);
                cdEnd = z;
            }
        }
        long cdStart = cdEnd - cdSize;
        long shift = cdStart - cdOffset;
        if (cdSize < 0 || cdStart < 0 || shift < 0) {
            return new ZipStructure(null, null, concatenated, 0);
        }
        if (shift > 0 && indexOf(d, EOCD_SIG, (int) shift) >= 0) {
            String front = "another zip archive (" + shift + " bytes) before this one";
            concatenated = concatenated == null ? front : concatenated + "; " + front;
        }
        List<long[]> ranges = new ArrayList<>();
        String mismatch = null;
        int p = (int) cdStart;
        for (long n = 0; n < Math.min(total, maxEntries) && p + 46 <= d.length && le32(d, p) == CEN_SIG; n++) {
            int flags = le16(d, p + 8);
            long comp = le32(d, p + 20) & 0xFFFFFFFFL;
            long size = le32(d, p + 24) & 0xFFFFFFFFL;
            int nameLen = le16(d, p + 28);
            int extraLen = le16(d, p + 30);
            int commentLen = le16(d, p + 32);
            long local = le32(d, p + 42) & 0xFFFFFFFFL;
            int extra = p + 46 + nameLen;
            // zip64 extra field: the values that are 0xFFFFFFFF in the header, in this order
            for (int e = extra; e + 4 <= extra + extraLen && e + 4 <= d.length; ) {
                int id = le16(d, e);
                int len = le16(d, e + 2);
                if (id == 1) {
                    int f = e + 4;
                    if (size == 0xFFFFFFFFL) {
                        size = le64(d, f);
                        f += 8;
                    }
                    if (comp == 0xFFFFFFFFL) {
                        comp = le64(d, f);
                        f += 8;
                    }
                    if (local == 0xFFFFFFFFL) {
                        local = le64(d, f);
                    }
                    break;
                }
                e += 4 + len;
            }
            byte[] name = Arrays.copyOfRange(d, p + 46, Math.min(d.length, p + 46 + nameLen));
            long lh = local + shift;
            if (lh >= 0 && lh + 30 <= d.length && le32(d, (int) lh) == LOC_SIG) {
                int l = (int) lh;
                int lflags = le16(d, l + 6);
                long lcomp = le32(d, l + 18) & 0xFFFFFFFFL;
                long lsize = le32(d, l + 22) & 0xFFFFFFFFL;
                int lnameLen = le16(d, l + 26);
                int lextraLen = le16(d, l + 28);
                byte[] lname = Arrays.copyOfRange(d, Math.min(d.length, l + 30),
                        Math.min(d.length, l + 30 + lnameLen));
                String entry = "entry " + (n + 1);
                if (mismatch == null && !Arrays.equals(name, lname)) {
                    mismatch = entry + ": local header and central directory name different files";
                }
                boolean descriptor = (lflags & 8) != 0 || (flags & 8) != 0;
                if (mismatch == null && !descriptor && lcomp != 0xFFFFFFFFL && lsize != 0xFFFFFFFFL
                        && (lcomp != comp || lsize != size)) {
                    mismatch = entry + ": local header sizes " + lcomp + "/" + lsize + " but central directory "
                            + comp + "/" + size;
                }
                ranges.add(new long[] {lh, lh + 30 + lnameLen + lextraLen + comp, n + 1});
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        String overlap = null;
        for (int i = 1; i < ranges.size() && overlap == null; i++) {
            long[] prev = ranges.get(i - 1);
            long[] cur = ranges.get(i);
            if (cur[0] < prev[1]) {
                overlap = "entries " + prev[2] + " and " + cur[2] + " share local data at offset " + cur[0];
            }
        }
        if (mismatch == null && overlap == null && !ranges.isEmpty()) {
            // Between the listed entries there is room for data descriptors only: a local header there is an entry
            // that stream readers see and the central directory hides.
            for (int i = 0; i < ranges.size() && mismatch == null; i++) {
                long from = ranges.get(i)[1];
                long to = i + 1 < ranges.size() ? ranges.get(i + 1)[0] : cdStart;
                int hidden = indexOf(d, LOC_SIG, (int) Math.max(0, from), (int) Math.min(to, d.length));
                if (hidden >= 0) {
                    mismatch = "a local entry at offset " + hidden + " that the central directory does not list";
                }
            }
        }
        return new ZipStructure(overlap, mismatch, concatenated, shift);
    }

    private static int indexOf(byte[] d, int sig, int limit) {
        return indexOf(d, sig, 0, limit);
    }

    private static int indexOf(byte[] d, int sig, int from, int limit) {
        for (int i = from; i + 4 <= Math.min(d.length, limit); i++) {
            if (le32(d, i) == sig) {
                return i;
            }
        }
        return -1;
    }

    /** Little-endian readers for zip records, shared with {@link ZipExpander}. */
    static int le16(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    static int le32(byte[] d, int i) {
        return le16(d, i) | le16(d, i + 2) << 16;
    }

    static long le64(byte[] d, int i) {
        return (le32(d, i) & 0xFFFFFFFFL) | ((long) le32(d, i + 4)) << 32;
    }
}
