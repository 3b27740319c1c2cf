package io.portcullis.scanner.engine.pdf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A single pass over the raw bytes of a PDF: the names that matter for active content, with {@code #xx} escapes
 * decoded ({@code /J#61vaScript} is {@code /JavaScript}), outside comments, strings and stream data; and a bounded
 * trial inflation of every object and cross-reference stream, which PDFBox would otherwise inflate into memory
 * without a limit while loading (a deflate bomb there would exhaust the heap).
 *
 * <p>The one structure-stream check of the scanner: the PDF engine and the decomposer's PDF expander both run it
 * before PDFBox sees the file. PDFBox 3 decodes a stream into the heap whatever stream cache it is given, so this
 * check, not a memory setting, is what bounds it. A structure stream is one whose dictionary names {@code /ObjStm},
 * {@code /XRef} or {@code /First} (PDFBox reads any stream the cross-reference data points to as an object stream,
 * with or without its {@code /Type}) with the Flate filter ({@code /FlateDecode} or {@code /Fl}). It is inflated from
 * its first byte with all the rest of the file as input, so an early {@code endstream} inside the data does not cut
 * the check short. Not covered: streams of an encrypted PDF (ciphertext until PDFBox decrypts it).
 */
public final class PdfTokens {
    /** Bytes one structure stream may inflate to; four times as much for all of them together. */
    public static final long MAX_STRUCTURE_STREAM_BYTES = 64L << 20;
    /** Names counted. */
    static final Set<String> INTERESTING = Set.of("JavaScript", "JS", "Launch", "SubmitForm", "ImportData", "GoToE",
            "OpenAction", "AA", "XFA");
    private static final int RECENT_NAMES = 64;
    private static final int MAX_NAME = 127;

    /** What the pass found. */
    public static final class Result {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        final Set<String> escaped = new java.util.LinkedHashSet<>();
        String objectStreamProblem;
        String damagedStructureStream;
        int objects;

        /** How many {@code obj} keywords (object definitions) the bytes have. */
        public int objects() {
            return objects;
        }

        /** How often the (decoded) name occurs. */
        public int count(String name) {
            return counts.getOrDefault(name, 0);
        }

        /** Interesting names that were written with {@code #xx} escapes (a classic evasion). */
        public Set<String> escaped() {
            return escaped;
        }

        /**
         * Why PDFBox must not load the file, e.g. {@code an object stream that inflates to more than 67108864 bytes}
         * (an object or cross-reference stream beyond the budget), or null.
         */
        public String objectStreamProblem() {
            return objectStreamProblem;
        }

        /**
         * The first structure stream whose data is not a complete zlib stream with a matching checksum, e.g.
         * {@code a damaged cross-reference stream}, {@code a truncated object stream} (no {@code endstream}), or null.
         * PDFBox would repair around it and lose what it held. Meaningless for an encrypted PDF (ciphertext).
         */
        public String damagedStructureStream() {
            return damagedStructureStream;
        }
    }

    private PdfTokens() {
    }

    /**
     * Scans {@code b}. Object and xref streams compressed with FlateDecode are inflated (and discarded) up to
     * {@code maxInflated} bytes each and {@code 4 * maxInflated} in total.
     */
    public static Result scan(byte[] b, long maxInflated) {
        Result r = new Result();
        Deque<String> recent = new ArrayDeque<>();
        long[] inflatedTotal = {0};
        int n = b.length;
        int i = 0;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c == '%') {
                while (i < n && b[i] != '\n' && b[i] != '\r') {
                    i++;
                }
            } else if (c == '(') {
                i = skipLiteralString(b, i + 1);
            } else if (c == '<' && i + 1 < n && b[i + 1] == '<') {
                i += 2;
            } else if (c == '<') {
                while (i < n && b[i] != '>') {
                    i++;
                }
                i++;
            } else if (c == '/') {
                int start = ++i;
                while (i < n && !delimiter(b[i] & 0xFF) && i - start <= MAX_NAME * 3) {
                    i++;
                }
                String raw = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
                String name = decodeName(raw);
                if (recent.size() == RECENT_NAMES) {
                    recent.removeFirst();
                }
                recent.addLast(name);
                if (INTERESTING.contains(name)) {
                    r.counts.merge(name, 1, Integer::sum);
                    if (!raw.equals(name)) {
                        r.escaped.add(name);
                    }
                }
            } else if (c == 's' && keyword(b, i, "stream")) {
                int data = i + 6;
                if (data < n && b[data] == '\r') {
                    data++;
                }
                if (data < n && b[data] == '\n') {
                    data++;
                }
                int end = indexOf(b, "endstream".getBytes(StandardCharsets.US_ASCII), data);
                boolean structure = recent.contains("ObjStm") || recent.contains("XRef") || recent.contains("First");
                if (structure && (recent.contains("FlateDecode") || recent.contains("Fl"))) {
                    String kind = recent.contains("XRef") ? "cross-reference" : "object";
                    if (end < 0 && r.damagedStructureStream == null) {
                        r.damagedStructureStream = "a truncated " + kind + " stream";
                    }
                    if (r.objectStreamProblem == null) {
                        checkInflation(b, data, kind, maxInflated, inflatedTotal, r);
                    }
                }
                recent.clear();
                i = end < 0 ? n : end + 9;
            } else if (c == 'o' && keyword(b, i, "obj")) {
                r.objects++;
                recent.clear();
                i += 3;
            } else {
                i++;
            }
        }
        return r;
    }

    /** Decodes {@code #xx} escapes of a name; a malformed escape stays as written. */
    static String decodeName(String raw) {
        if (raw.indexOf('#') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int k = 0; k < raw.length(); k++) {
            char ch = raw.charAt(k);
            if (ch == '#' && k + 2 < raw.length() && hex(raw.charAt(k + 1)) >= 0 && hex(raw.charAt(k + 2)) >= 0) {
                out.append((char) (hex(raw.charAt(k + 1)) * 16 + hex(raw.charAt(k + 2))));
                k += 2;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /**
     * Inflates (and discards) the zlib stream at {@code from}, the rest of the file as its input, up to {@code max}
     * bytes and {@code 4 * max} for the file; records a stream beyond the bound or a damaged one in {@code r}.
     */
    private static void checkInflation(byte[] b, int from, String kind, long max, long[] total, Result r) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, from, Math.max(0, b.length - from));
            byte[] buf = new byte[64 * 1024];
            long produced = 0;
            while (!inflater.finished() && !inflater.needsInput() && !inflater.needsDictionary()) {
                int k = inflater.inflate(buf);
                produced += k;
                total[0] += k;
                if (produced > max || total[0] > 4 * max) {
                    r.objectStreamProblem = (kind.equals("object") ? "an object" : "a " + kind)
                            + " stream that inflates to more than " + (produced > max ? max : 4 * max) + " bytes";
                    return;
                }
            }
            if (!inflater.finished()) {
                damaged(r, kind); // ends before its data does, or needs a preset dictionary
            }
        } catch (DataFormatException e) {
            damaged(r, kind); // PDFBox fails on it too, without inflating much
        } finally {
            inflater.end();
        }
    }

    private static void damaged(Result r, String kind) {
        if (r.damagedStructureStream == null) {
            r.damagedStructureStream = "a damaged " + kind + " stream";
        }
    }

    private static int skipLiteralString(byte[] b, int i) {
        int depth = 1;
        int n = b.length;
        while (i < n && depth > 0) {
            int c = b[i] & 0xFF;
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            i++;
        }
        return i;
    }

    /** Whether {@code word} stands at {@code i} as a keyword (delimited on both sides). */
    private static boolean keyword(byte[] b, int i, String word) {
        int len = word.length();
        if (i + len > b.length) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        boolean before = i == 0 || delimiter(b[i - 1] & 0xFF);
        boolean after = i + len == b.length || delimiter(b[i + len] & 0xFF);
        return before && after;
    }

    private static boolean delimiter(int c) {
        return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32 || c == '(' || c == ')' || c == '<'
                || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** For tests: the decoded names this pass would count in {@code b}. */
    static List<String> names(byte[] b) {
        Result r = scan(b, Long.MAX_VALUE / 8);
        List<String> out = new ArrayList<>();
        r.counts.forEach((k, v) -> {
            for (int j = 0; j < v; j++) {
                out.add(k);
            }
        });
        return out;
    }
}
