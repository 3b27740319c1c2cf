package io.portcullis.edge.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.stream.RawField;

/**
 * Removes MIME parts named by the scanner's decomposition paths and puts a {@code text/plain} notice part in the
 * place of each. Paths are those of scanner-service's {@code MessageDecomposer} (IMAP part numbers):
 * {@code part/1} is the body of a single-part message or the first part of a multipart one, {@code part/2.1} the
 * first part inside part 2 (or the body of a message/rfc822 part 2), and an archive member's path
 * ({@code part/2/zip:a.exe}) names the part that holds the archive.
 *
 * <p>Works on the bytes: the removed part's byte range (between its delimiter lines) is replaced, everything else
 * (header block, other parts, boundaries, preamble, epilogue, line endings) is copied unchanged. mime4j parses the
 * Content-Type (boundary, type) and Content-Disposition (file name) fields. A path that names no part is reported
 * in {@link Result#unmatched()} and changes nothing. Bounded for hostile input: at most {@value #MAX_DEPTH} levels
 * of nesting and {@value #MAX_PARTS} parts are looked at; a multipart without a boundary parameter, or whose
 * boundary never occurs, is a leaf; a missing close delimiter ends the last part at the end of its parent.
 */
public final class AttachmentStripper {

    /** Deepest multipart nesting followed; deeper parts are not found (their paths are unmatched). */
    static final int MAX_DEPTH = 32;
    /** Most body parts looked at in one message. */
    static final int MAX_PARTS = 10_000;
    /** Longest file name quoted in the default notice. */
    private static final int MAX_NAME = 200;
    private static final Pattern PART_NUMBER = Pattern.compile("[1-9][0-9]{0,5}(\\.[1-9][0-9]{0,5}){0,63}");

    /**
     * What was done.
     *
     * @param message   the rewritten message (the input itself when nothing was removed)
     * @param removed   the paths whose parts were removed
     * @param names     the file names of the removed parts (those that had one)
     * @param unmatched the paths that named no part
     */
    public record Result(byte[] message, List<String> removed, List<String> names, List<String> unmatched) {
    }

    private AttachmentStripper() {
    }

    /**
     * @param message the whole RFC 822 message
     * @param paths   decomposition paths of the parts to remove
     * @param notice  the text of the notice part, or null/blank for a default naming the removed part's file
     */
    public static Result strip(byte[] message, List<String> paths, String notice) {
        List<String> unmatched = new ArrayList<>();
        // part number -> the paths asking for it
        java.util.Map<String, List<String>> targets = new java.util.LinkedHashMap<>();
        for (String path : paths) {
            String number = partNumber(path);
            if (number == null) {
                unmatched.add(path);
            } else {
                targets.computeIfAbsent(number, k -> new ArrayList<>()).add(path);
            }
        }
        if (targets.isEmpty()) {
            return new Result(message, List.of(), List.of(), unmatched);
        }
        Walk walk = new Walk(message, targets.keySet(), notice, lineEnding(message));
        walk.message(0, message.length, "", 0, true);
        List<String> removed = new ArrayList<>();
        targets.forEach((number, asked) -> {
            if (walk.found.contains(number)) {
                removed.addAll(asked);
            } else {
                unmatched.addAll(asked);
            }
        });
        if (walk.replacements.isEmpty()) {
            return new Result(message, List.of(), List.of(), unmatched);
        }
        return new Result(walk.splice(), removed, List.copyOf(walk.names), unmatched);
    }

    /** The IMAP part number a decomposition path names ({@code part/2.1/zip:x} → {@code 2.1}), or null. */
    static String partNumber(String path) {
        if (path == null || !path.startsWith("part/")) {
            return null;
        }
        String rest = path.substring(5);
        int slash = rest.indexOf('/');
        String number = slash < 0 ? rest : rest.substring(0, slash);
        return PART_NUMBER.matcher(number).matches() ? number : null;
    }

    private static String lineEnding(byte[] b) {
        for (int i = 0; i < b.length && i < 64 * 1024; i++) {
            if (b[i] == '\n') {
                return i > 0 && b[i - 1] == '\r' ? "\r\n" : "\n";
            }
        }
        return "\r\n";
    }

    /** One byte range to replace. */
    private record Replacement(int start, int end, byte[] with) {
    }

    /** The header fields of one entity that matter here, and where its body starts. */
    private record Entity(int bodyStart, String mimeType, String boundary, String filename) {
        boolean multipart() {
            return mimeType.startsWith("multipart/") && boundary != null && !boundary.isEmpty();
        }

        boolean embeddedMessage() {
            return mimeType.equals("message/rfc822");
        }
    }

    private static final class Walk {
        final byte[] b;
        final Set<String> targets;
        final String notice;
        final String eol;
        final Set<String> found = new LinkedHashSet<>();
        final List<String> names = new ArrayList<>();
        final List<Replacement> replacements = new ArrayList<>();
        int parts;

        Walk(byte[] b, Set<String> targets, String notice, String eol) {
            this.b = b;
            this.targets = targets;
            this.notice = notice;
            this.eol = eol;
        }

        boolean wanted(String number) {
            return targets.contains(number);
        }

        boolean below(String number) {
            String prefix = number.isEmpty() ? "" : number + ".";
            for (String t : targets) {
                if (t.startsWith(prefix) && !t.equals(number)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * A message (top-level or the body of a message/rfc822 part) spanning [start, end) whose own number is
         * {@code number} ("" for the top level).
         */
        void message(int start, int end, String number, int depth, boolean topLevel) {
            Entity e = entity(start, end, "text/plain");
            if (e.multipart()) {
                multipart(e, end, number, depth);
                return;
            }
            String bodyNumber = number.isEmpty() ? "1" : number + ".1";
            if (wanted(bodyNumber)) {
                if (topLevel) {
                    replaceTopLevelBody(start, e, end);
                    found.add(bodyNumber);
                }
                // the body of an embedded single-part message is handled by the caller (it replaces the part)
            }
        }

        void multipart(Entity e, int end, String number, int depth) {
            if (depth >= MAX_DEPTH) {
                return;
            }
            List<int[]> children = split(e.bodyStart, end, e.boundary);
            int n = 0;
            for (int[] child : children) {
                if (++parts > MAX_PARTS) {
                    return;
                }
                n++;
                String childNumber = number.isEmpty() ? String.valueOf(n) : number + "." + n;
                bodyPart(child[0], child[1], childNumber, depth + 1);
            }
        }

        void bodyPart(int start, int end, String number, int depth) {
            boolean wantedHere = wanted(number);
            if (!wantedHere && !below(number)) {
                return;
            }
            Entity e = entity(start, end, "text/plain");
            if (wantedHere) {
                replacePart(start, end, e);
                found.add(number);
                // parts below a removed one go with it
                for (String t : targets) {
                    if (t.startsWith(number + ".")) {
                        found.add(t);
                    }
                }
                return;
            }
            if (e.multipart()) {
                multipart(e, end, number, depth);
            } else if (e.embeddedMessage() && depth < MAX_DEPTH) {
                String inner = number + ".1";
                Entity m = entity(e.bodyStart, end, "text/plain");
                if (!m.multipart() && wanted(inner)) {
                    // the single-part body of an attached message: the attached message goes
                    replacePart(start, end, e);
                    found.add(inner);
                } else {
                    message(e.bodyStart, end, number, depth + 1, false);
                }
            }
        }

        /** Parses the header block of the entity at [start, end). */
        Entity entity(int start, int end, String defaultType) {
            int pos = start;
            String contentType = null;
            String disposition = null;
            StringBuilder field = null;
            while (pos < end) {
                int lineEnd = indexOf((byte) '\n', pos, end);
                int next = lineEnd < 0 ? end : lineEnd + 1;
                int contentEnd = lineEnd < 0 ? end : lineEnd;
                if (contentEnd > pos && b[contentEnd - 1] == '\r') {
                    contentEnd--;
                }
                if (contentEnd == pos) {
                    pos = next;
                    break;
                }
                boolean continuation = b[pos] == ' ' || b[pos] == '\t';
                String line = new String(b, pos, Math.min(contentEnd - pos, 64 * 1024), StandardCharsets.ISO_8859_1);
                if (continuation && field != null) {
                    if (field.length() < 64 * 1024) {
                        field.append(' ').append(line.strip());
                    }
                } else if (line.indexOf(':') > 0 && !continuation) {
                    if (field != null) {
                        String f = field.toString();
                        contentType = take(f, "content-type", contentType);
                        disposition = take(f, "content-disposition", disposition);
                    }
                    field = new StringBuilder(line);
                } else {
                    break; // malformed header line: the body starts here
                }
                pos = next;
            }
            if (field != null) {
                String f = field.toString();
                contentType = take(f, "content-type", contentType);
                disposition = take(f, "content-disposition", disposition);
            }
            String mimeType = defaultType;
            String boundary = null;
            String filename = null;
            if (contentType != null && parse("Content-Type", contentType) instanceof ContentTypeField ct) {
                if (ct.getMimeType() != null && ct.getMimeType().contains("/")) {
                    mimeType = ct.getMimeType().toLowerCase(Locale.ROOT);
                }
                boundary = ct.getBoundary();
                filename = ct.getParameter("name");
            }
            if (disposition != null && parse("Content-Disposition", disposition) instanceof ContentDispositionField cd
                    && cd.getFilename() != null) {
                filename = cd.getFilename();
            }
            return new Entity(pos, mimeType, boundary, cleanName(filename));
        }

        /**
         * The body parts of a multipart body in [start, end): byte ranges between delimiter lines, each without the
         * line ending that belongs to the next delimiter. Parts after a close delimiter are epilogue.
         */
        List<int[]> split(int start, int end, String boundary) {
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            List<int[]> out = new ArrayList<>();
            int partStart = -1;
            int pos = start;
            while (pos < end) {
                int lineEnd = indexOf((byte) '\n', pos, end);
                int next = lineEnd < 0 ? end : lineEnd + 1;
                Boolean close = delimiterLine(pos, lineEnd < 0 ? end : lineEnd, delimiter);
                if (close != null) {
                    if (partStart >= 0) {
                        out.add(new int[] {partStart, precedingLineBreak(partStart, pos)});
                    }
                    if (close) {
                        return out;
                    }
                    partStart = next;
                }
                pos = next;
            }
            if (partStart >= 0 && partStart <= end) {
                out.add(new int[] {partStart, end});
            }
            return out;
        }

        /** null: not a delimiter line; true: the close delimiter; false: a part delimiter. */
        private Boolean delimiterLine(int start, int lineEnd, byte[] delimiter) {
            if (lineEnd - start < delimiter.length) {
                return null;
            }
            for (int i = 0; i < delimiter.length; i++) {
                if (b[start + i] != delimiter[i]) {
                    return null;
                }
            }
            int p = start + delimiter.length;
            boolean close = false;
            if (p + 1 < lineEnd && b[p] == '-' && b[p + 1] == '-') {
                close = true;
                p += 2;
            }
            while (p < lineEnd && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r')) {
                p++;
            }
            return p == lineEnd ? close : null;
        }

        /** Where the line break before the delimiter line at {@code delimiterStart} starts (it belongs to it). */
        private int precedingLineBreak(int partStart, int delimiterStart) {
            int p = delimiterStart;
            if (p > partStart && b[p - 1] == '\n') {
                p--;
                if (p > partStart && b[p - 1] == '\r') {
                    p--;
                }
            }
            return p;
        }

        private int indexOf(byte value, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == value) {
                    return i;
                }
            }
            return -1;
        }

        void replacePart(int start, int end, Entity e) {
            if (e.filename() != null) {
                names.add(e.filename());
            }
            replacements.add(new Replacement(start, end, noticePart(e.filename())));
        }

        /** A single-part top-level message loses its body: the content fields are replaced as well. */
        void replaceTopLevelBody(int start, Entity e, int end) {
            if (e.filename() != null) {
                names.add(e.filename());
            }
            // keep every header field but the content ones, then the notice's
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int pos = start;
            boolean skipping = false;
            int headerEnd = e.bodyStart();
            while (pos < headerEnd) {
                int lineEnd = indexOf((byte) '\n', pos, headerEnd);
                int next = lineEnd < 0 ? headerEnd : lineEnd + 1;
                boolean continuation = b[pos] == ' ' || b[pos] == '\t';
                String line = new String(b, pos, Math.min(next - pos, 64), StandardCharsets.ISO_8859_1)
                        .toLowerCase(Locale.ROOT);
                if (line.isBlank()) {
                    break;
                }
                if (!continuation) {
                    skipping = line.startsWith("content-type:") || line.startsWith("content-transfer-encoding:")
                            || line.startsWith("content-disposition:") || line.startsWith("content-type ")
                            || line.startsWith("content-transfer-encoding ")
                            || line.startsWith("content-disposition ");
                }
                if (!skipping) {
                    head.write(b, pos, next - pos);
                }
                pos = next;
            }
            write(head, noticeEntity(e.filename()));
            replacements.add(new Replacement(start, end, head.toByteArray()));
        }

        byte[] noticePart(String filename) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, noticeEntity(filename));
            return out.toByteArray();
        }

        /** Header fields, blank line and body of the notice (no line break after the body). */
        String noticeEntity(String filename) {
            String text = notice != null && !notice.isBlank() ? notice
                    : "An attachment" + (filename == null ? "" : " (" + filename + ")")
                            + " was removed from this message by policy.";
            String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
            boolean plain = normalized.chars().allMatch(c -> c < 128 && (c >= 32 || c == '\n' || c == '\t'))
                    && normalized.lines().allMatch(l -> l.length() <= 900);
            StringBuilder sb = new StringBuilder();
            sb.append("Content-Type: text/plain; charset=").append(plain ? "us-ascii" : "utf-8").append(eol);
            sb.append("Content-Disposition: inline").append(eol);
            if (plain) {
                sb.append("Content-Transfer-Encoding: 7bit").append(eol).append(eol);
                sb.append(normalized.replace("\n", eol));
            } else {
                sb.append("Content-Transfer-Encoding: base64").append(eol).append(eol);
                sb.append(Base64.getMimeEncoder(76, eol.getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(normalized.getBytes(StandardCharsets.UTF_8)));
            }
            return sb.toString();
        }

        byte[] splice() {
            replacements.sort(Comparator.comparingInt(Replacement::start));
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
            int pos = 0;
            for (Replacement r : replacements) {
                if (r.start() < pos) {
                    continue; // inside one already replaced
                }
                out.write(b, pos, r.start() - pos);
                out.write(r.with(), 0, r.with().length);
                pos = r.end();
            }
            out.write(b, pos, b.length - pos);
            return out.toByteArray();
        }
    }

    private static String take(String field, String name, String current) {
        if (current != null) {
            return current;
        }
        int colon = field.indexOf(':');
        if (field.substring(0, colon).strip().equalsIgnoreCase(name)) {
            return field.substring(colon + 1).strip();
        }
        return null;
    }

    private static ParsedField parse(String name, String body) {
        try {
            return LenientFieldParser.getParser().parse(new RawField(name, body), DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String cleanName(String name) {
        if (name == null) {
            return null;
        }
        String decoded = name.contains("=?") ? DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT) : name;
        String n = decoded.replaceAll("\\p{Cntrl}", "").strip();
        if (n.isEmpty()) {
            return null;
        }
        return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) + "..." : n;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }
}
