package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Objects embedded in RTF ({@code \objdata}, hex): each object is an item {@code rtf:(object <n>)}, and its OLE 1.0
 * native data a child of it: the payload of a {@code Package} object ({@code ole1:<file name>}), else the native data
 * (an OLE2 file, unpacked in turn). Hex is read the way Word reads it: white space, control words and stray
 * characters inside the group are skipped.
 */
final class RtfExpander {
    private static final byte[] OBJDATA = ByteSearch.ascii("\\objdata");
    private static final int MAX_OBJECTS = 1000;

    private final ArchiveExpander archives;

    RtfExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    static boolean hasObjects(byte[] d) {
        return ByteSearch.indexOf(d, OBJDATA, 0) >= 0;
    }

    void expand(String archivePath, byte[] d, int depth, DecompositionState state) {
        int n = 0;
        for (int at = ByteSearch.indexOf(d, OBJDATA, 0); at >= 0 && n < MAX_OBJECTS; ) {
            n++;
            int[] end = new int[1];
            byte[] object = hex(d, at + OBJDATA.length, end);
            at = ByteSearch.indexOf(d, OBJDATA, Math.max(end[0], at + 1)); // linear however many objects
            ScanItem item = archives.entry("rtf", archivePath, "(object " + n + ")", depth,
                    new ByteArrayInputStream(object), state);
            if (item == null) {
                return;
            }
            nativeData(item, depth + 1, state);
        }
    }

    /** The hex digits of the group, up to the brace that closes it. */
    static byte[] hex(byte[] d, int from, int[] end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int depth = 0;
        int hi = -1;
        int i = from;
        // a control word's delimiter: the letters of "\objdata" are done; skip its optional parameter and space
        while (i < d.length) {
            int c = d[i] & 0xFF;
            if (c == '{') {
                depth++;
                i++;
            } else if (c == '}') {
                if (depth-- == 0) {
                    break;
                }
                i++;
            } else if (c == '\\') {
                i++;
                while (i < d.length && Character.isLetter(d[i])) {
                    i++;
                }
                while (i < d.length && (d[i] == '-' || Character.isDigit(d[i]))) {
                    i++;
                }
                if (i < d.length && d[i] == ' ') {
                    i++;
                }
            } else {
                int v = Character.digit(c, 16);
                if (v >= 0) {
                    if (hi < 0) {
                        hi = v;
                    } else {
                        out.write(hi << 4 | v);
                        hi = -1;
                    }
                }
                i++;
            }
        }
        end[0] = i;
        return out.toByteArray();
    }

    /** OLE 1.0 object: version, format id, class, topic and item names, native data size and data. */
    private void nativeData(ScanItem object, int depth, DecompositionState state) {
        byte[] o = object.content();
        try {
            int p = 4;
            long format = ByteSearch.u32(o, p);
            p += 4;
            if (format != 2) {
                return; // linked (1) or presentation-only objects carry no file
            }
            String className = lengthPrefixed(o, p);
            p += 4 + (int) ByteSearch.u32(o, p);
            p += 4 + (int) ByteSearch.u32(o, p); // topic
            p += 4 + (int) ByteSearch.u32(o, p); // item
            long size = ByteSearch.u32(o, p);
            ScanItem child;
            if ("Package".equals(className)) {
                OlePackage pkg = OlePackage.parse(o, p);
                child = archives.entry("ole1", object.path(), pkg.fileName(), depth,
                        new ByteArrayInputStream(pkg.data()), state);
            } else {
                int end = (int) Math.min(o.length, p + 4 + size);
                if (p + 4 + size > o.length) {
                    state.failure(ARCHIVE_CORRUPT, "rtf: " + object.path() + " is truncated (" + (o.length - p - 4)
                            + " of " + size + " bytes of native data)");
                }
                child = archives.entry("ole1", object.path(), "(" + className + ")", depth,
                        new ByteArrayInputStream(Arrays.copyOfRange(o, p + 4, end)), state);
            }
            if (child != null) {
                archives.expandIfArchive(child, child.filename(), state);
            }
        } catch (OlePackage.NotAPackage | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "rtf: " + object.path() + " is not a readable OLE 1.0 object ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String lengthPrefixed(byte[] o, int p) {
        int len = (int) ByteSearch.u32(o, p);
        if (len < 0 || len > 256 || p + 4 + len > o.length) {
            throw new IllegalArgumentException("bad class name length");
        }
        String s = new String(o, p + 4, len, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }
}
