package io.portcullis.scanner.mime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An OLE "Package" object (what Windows' Packager embeds: the {@code \1Ole10Native} stream of an OLE2 storage, the
 * native data of an RTF {@code Package} object): a signature, label, original path, temporary path and the file's
 * bytes. Read with every length checked against the data (never trusting the declared total size).
 *
 * @param label the label shown on the icon
 * @param path  the original path of the file
 * @param data  the file
 */
record OlePackage(String label, String path, byte[] data) {

    /** Thrown when the bytes are no package. */
    static final class NotAPackage extends Exception {
        NotAPackage(String message) {
            super(message);
        }
    }

    /**
     * @param d      the bytes
     * @param offset where the package's 4-byte total size stands
     */
    static OlePackage parse(byte[] d, int offset) throws NotAPackage {
        int p = offset + 4 + 2; // total size, signature
        if (p > d.length) {
            throw new NotAPackage("truncated header");
        }
        int labelEnd = nul(d, p);
        String label = new String(d, p, labelEnd - p, StandardCharsets.ISO_8859_1);
        p = labelEnd + 1;
        int pathEnd = nul(d, p);
        String path = new String(d, p, pathEnd - p, StandardCharsets.ISO_8859_1);
        p = pathEnd + 1 + 4; // reserved / type
        long tempLen = u32(d, p);
        p += 4;
        if (tempLen > d.length - p) {
            throw new NotAPackage("temporary path longer than the data");
        }
        p += (int) tempLen;
        long size = u32(d, p);
        p += 4;
        if (size > d.length - p) {
            throw new NotAPackage("file of " + size + " bytes, only " + (d.length - p) + " present");
        }
        return new OlePackage(label, path, Arrays.copyOfRange(d, p, p + (int) size));
    }

    /** The file's name: the last segment of its path, else the label. */
    String fileName() {
        String n = path != null && !path.isBlank() ? path : label;
        if (n == null || n.isBlank()) {
            return "(package)";
        }
        int slash = Math.max(n.lastIndexOf('\\'), n.lastIndexOf('/'));
        return slash >= 0 && slash < n.length() - 1 ? n.substring(slash + 1) : n;
    }

    private static int nul(byte[] d, int from) throws NotAPackage {
        for (int i = from; i < d.length && i < from + 4096; i++) {
            if (d[i] == 0) {
                return i;
            }
        }
        throw new NotAPackage("unterminated name");
    }

    private static long u32(byte[] d, int i) throws NotAPackage {
        if (i + 4 > d.length) {
            throw new NotAPackage("truncated");
        }
        return ByteSearch.u32(d, i);
    }
}
