package io.portcullis.scanner.mime;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Archive, compression and container formats the decomposer recognises, by magic bytes first and by file name as a
 * hint. Besides archives: TNEF (winmail.dat), OLE2 compound files, PDF, Microsoft CAB and SZDD, RTF, Symbian SIS,
 * CHM (detected, unscannable), e-mail messages and mailboxes, and PE executables (their overlay may hold an
 * installer's or self-extractor's payload).
 */
enum ArchiveFormat {
    ZIP("zip"), TAR("tar"), GZIP("gz"), BZIP2("bz2"), XZ("xz"), SEVEN_Z("7z"), CPIO("cpio"), AR("ar"), ARJ("arj"),
    RAR("rar"), TNEF("tnef"), OLE2("ole2"), PDF("pdf"), CAB("cab"), SZDD("szdd"), RTF("rtf"), SIS("sis"), CHM("chm"),
    MAIL("eml"), PE("pe"), ISCAB("iscab");

    /** The prefix of entry paths ({@code part/2/tar:dir/a.txt}). */
    final String tag;

    ArchiveFormat(String tag) {
        this.tag = tag;
    }

    /** Whether the format holds one compressed stream (one item) rather than named entries. */
    boolean singleStream() {
        return this == GZIP || this == BZIP2 || this == XZ;
    }

    /**
     * The format of an item: its magic bytes decide; the file name only counts when the bytes match no format (so a
     * truncated {@code .tar.gz} is still reported as a corrupt archive, never as opaque clean bytes).
     *
     * @return the format, or null when neither bytes nor name point to an archive
     */
    static ArchiveFormat detect(String filename, byte[] d) {
        ArchiveFormat byMagic = byMagic(d);
        // An empty file hides nothing, whatever its name says.
        return byMagic != null ? byMagic : d.length == 0 ? null : byName(filename);
    }

    static ArchiveFormat byMagic(byte[] d) {
        if (starts(d, 'P', 'K', 3, 4) || starts(d, 'P', 'K', 5, 6) || starts(d, 'P', 'K', 7, 8)) {
            return ZIP;
        }
        if (starts(d, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (starts(d, 'B', 'Z', 'h') && d.length > 3 && d[3] >= '1' && d[3] <= '9') {
            return BZIP2;
        }
        if (starts(d, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return XZ;
        }
        if (starts(d, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return SEVEN_Z;
        }
        if (starts(d, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x00) || starts(d, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00)) {
            return RAR;
        }
        if (starts(d, '!', '<', 'a', 'r', 'c', 'h', '>', '\n')) {
            return AR;
        }
        if (starts(d, '0', '7', '0', '7', '0') || starts(d, 0xC7, 0x71) || starts(d, 0x71, 0xC7)) {
            return CPIO;
        }
        if (starts(d, 0x60, 0xEA)) {
            return ARJ;
        }
        if (d.length >= 262 && new String(d, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return TAR;
        }
        if (starts(d, 0x78, 0x9F, 0x3E, 0x22)) {
            return TNEF;
        }
        if (starts(d, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return OLE2;
        }
        if (starts(d, 'M', 'S', 'C', 'F', 0, 0, 0, 0)) {
            return CAB;
        }
        if (starts(d, 'S', 'Z', 'D', 'D', 0x88, 0xF0, 0x27, 0x33)) {
            return SZDD;
        }
        if (starts(d, 'I', 'S', 'c', '(')) {
            return ISCAB;
        }
        if (starts(d, 'I', 'T', 'S', 'F')) {
            return CHM;
        }
        if (starts(d, '{', '\\', 'r', 't')) {
            return RTF;
        }
        if (d.length >= 16 && ZipStructure.le32(d, 8) == 0x10000419
                && (ZipStructure.le32(d, 4) == 0x1000006D || ZipStructure.le32(d, 4) == 0x10003A12)) {
            return SIS;
        }
        if (starts(d, 'M', 'Z')) {
            return PE;
        }
        int pdf = pdfHeaderAt(d);
        // a header after junk (a polyglot) counts when objects follow; text that merely quotes "%PDF-" does not
        if (pdf == 0 || pdf > 0 && ByteSearch.indexOf(d, ByteSearch.ascii("endobj"), pdf) >= 0) {
            return PDF;
        }
        if (MailSniffer.looksLikeMessage(d)) {
            return MAIL;
        }
        return null;
    }

    /** Readers accept a PDF header anywhere in the first KiB: so does the decomposer. */
    static int pdfHeaderAt(byte[] d) {
        int end = Math.min(d.length - 5, 1024);
        for (int i = 0; i <= end; i++) {
            if (d[i] == '%' && d[i + 1] == 'P' && d[i + 2] == 'D' && d[i + 3] == 'F' && d[i + 4] == '-') {
                return i;
            }
        }
        return -1;
    }

    static ArchiveFormat byName(String filename) {
        if (filename == null) {
            return null;
        }
        String n = filename.toLowerCase(Locale.ROOT).strip();
        for (String[] hint : new String[][] {{".tar.gz", "GZIP"}, {".tgz", "GZIP"}, {".tar.bz2", "BZIP2"},
                {".tbz2", "BZIP2"}, {".tar.xz", "XZ"}, {".txz", "XZ"}, {".zip", "ZIP"}, {".tar", "TAR"},
                {".gz", "GZIP"}, {".bz2", "BZIP2"}, {".xz", "XZ"}, {".7z", "SEVEN_Z"}, {".cpio", "CPIO"},
                {".ar", "AR"}, {".deb", "AR"}, {".arj", "ARJ"}, {".rar", "RAR"}, {".cab", "CAB"},
                {"winmail.dat", "TNEF"}, {".tnef", "TNEF"}}) {
            if (n.endsWith(hint[0])) {
                return valueOf(hint[1]);
            }
        }
        return null;
    }

    /** The name of a compressed stream's content: the outer name minus its suffix ({@code a.tgz} → {@code a.tar}). */
    static String innerName(String outer) {
        if (outer == null || outer.isBlank()) {
            return "(unnamed)";
        }
        String n = outer;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        String lower = n.toLowerCase(Locale.ROOT);
        for (String[] s : new String[][] {{".tgz", ".tar"}, {".tbz2", ".tar"}, {".txz", ".tar"}, {".gz", ""},
                {".bz2", ""}, {".xz", ""}}) {
            if (lower.endsWith(s[0]) && lower.length() > s[0].length()) {
                return n.substring(0, n.length() - s[0].length()) + s[1];
            }
        }
        return n;
    }

    private static boolean starts(byte[] d, int... magic) {
        if (d.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((d[i] & 0xFF) != (magic[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
