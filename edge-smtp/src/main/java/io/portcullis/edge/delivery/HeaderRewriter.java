package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.Modifications;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Applies a verdict's {@link Modifications} to a message on its way out, touching only the header block:
 * prepends {@code X-Portcullis-Queue-Id} and the added header fields, and puts the subject prefix in front of
 * the (possibly folded) Subject, or adds a Subject when there is none. Non-ASCII text is RFC 2047 encoded.
 * The body is streamed through byte for byte; without a subject prefix the header is not even parsed.
 */
public final class HeaderRewriter {

    /** Header field name of the queue id, always added. */
    public static final String QUEUE_ID_HEADER = "X-Portcullis-Queue-Id";
    /** Most header bytes read to find the Subject; a larger header is relayed without the subject prefix. */
    static final int MAX_HEADER_BYTES = 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(HeaderRewriter.class);
    private static final int SOFT_LINE = 78;
    /** UTF-8 bytes per encoded word: 45 bytes are 60 base64 characters, 72 with the {@code =?UTF-8?B??=} frame. */
    private static final int ENCODED_WORD_BYTES = 45;

    private HeaderRewriter() {
    }

    /**
     * @param original     the stored message; the returned stream reads from it and closes it when closed
     * @param originalSize the stored size, for the outgoing SIZE
     * @param queueId      the message id, written to {@value #QUEUE_ID_HEADER}
     */
    public static OutgoingMessage rewrite(InputStream original, long originalSize, Modifications modifications,
            String queueId) throws IOException {
        Modifications mods = modifications == null ? Modifications.NONE : modifications;
        String prefix = mods.subjectPrefix() == null ? "" : singleLine(mods.subjectPrefix()).strip();
        ByteArrayOutputStream top = new ByteArrayOutputStream(256);
        write(top, field(QUEUE_ID_HEADER, queueId));
        for (HeaderField h : mods.addHeaders()) {
            if (h == null || !validName(h.name())) {
                LOG.warnf("message %s: skipping added header with invalid name %s", queueId, h == null ? null : h.name());
                continue;
            }
            write(top, field(h.name(), h.value() == null ? "" : h.value()));
        }
        if (prefix.isEmpty()) {
            return concat(top.toByteArray(), new byte[0], original, originalSize);
        }
        HeaderBlock block = HeaderBlock.read(original, MAX_HEADER_BYTES);
        if (!block.complete()) {
            LOG.warnf("message %s: header block larger than %d bytes; relaying without the subject prefix",
                    queueId, MAX_HEADER_BYTES);
            return concat(top.toByteArray(), block.header(), original, originalSize - block.header().length);
        }
        byte[] header = block.header();
        byte[] rewritten = prefixSubject(header, prefix);
        if (rewritten == null) {
            write(top, "Subject: " + encodePrefix(prefix, "") + "\r\n");
            rewritten = header;
        }
        byte[] head = join(rewritten, block.rest());
        long restSize = originalSize - header.length - block.rest().length;
        return concat(top.toByteArray(), head, original, restSize);
    }

    /**
     * Puts the prefix in front of the first Subject field's value, keeping its folding and line endings.
     *
     * @return the new header block, or null when there is no Subject field
     */
    static byte[] prefixSubject(byte[] header, String prefix) {
        int lineStart = 0;
        while (lineStart < header.length) {
            int lineEnd = indexOf(header, (byte) '\n', lineStart);
            int next = lineEnd < 0 ? header.length : lineEnd + 1;
            int colon = subjectColon(header, lineStart, next);
            if (colon >= 0) {
                int valueStart = colon + 1;
                while (valueStart < next && (header[valueStart] == ' ' || header[valueStart] == '\t')) {
                    valueStart++;
                }
                int contentEnd = next;
                while (contentEnd > valueStart && (header[contentEnd - 1] == '\n' || header[contentEnd - 1] == '\r')) {
                    contentEnd--;
                }
                String firstLineValue = new String(header, valueStart, contentEnd - valueStart, StandardCharsets.ISO_8859_1);
                if (unfoldedValue(header, valueStart, next).startsWith(prefix)) {
                    return header;
                }
                String inserted = " " + encodePrefix(prefix, firstLineValue) + (firstLineValue.isEmpty() ? "" : " ");
                ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + inserted.length() + 16);
                out.write(header, 0, colon + 1);
                write(out, inserted);
                out.write(header, valueStart, header.length - valueStart);
                return out.toByteArray();
            }
            lineStart = next;
        }
        return null;
    }

    /** Position of the colon when the line at {@code start} begins a Subject field (name, optional WSP, colon). */
    private static int subjectColon(byte[] b, int start, int end) {
        String name = "subject";
        if (end - start <= name.length()) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) (b[start + i] & 0xff)) != name.charAt(i)) {
                return -1;
            }
        }
        int i = start + name.length();
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < end && b[i] == ':' ? i : -1;
    }

    /** The field value from {@code from} to its end, continuation lines joined. */
    private static String unfoldedValue(byte[] header, int from, int firstLineEnd) {
        int end = firstLineEnd;
        while (end < header.length && (header[end] == ' ' || header[end] == '\t')) {
            int nl = indexOf(header, (byte) '\n', end);
            end = nl < 0 ? header.length : nl + 1;
        }
        return new String(header, from, end - from, StandardCharsets.ISO_8859_1).replaceAll("\r?\n", "").strip();
    }

    /**
     * The prefix as it goes into the Subject: as is when printable ASCII, else RFC 2047 encoded words. When the
     * existing value starts with an encoded word, the separating space goes inside the encoding, because white
     * space between two encoded words is not displayed.
     */
    static String encodePrefix(String prefix, String followingValue) {
        if (isPrintableAscii(prefix)) {
            return prefix;
        }
        boolean spaceInside = followingValue.startsWith("=?");
        return encodedWords(spaceInside ? prefix + " " : prefix);
    }

    /** RFC 2047 B-encoded words of at most 75 characters, split on code point boundaries, folded between words. */
    static String encodedWords(String text) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int end = i;
            int bytes = 0;
            while (end < text.length()) {
                int cp = text.codePointAt(end);
                int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + len > ENCODED_WORD_BYTES) {
                    break;
                }
                bytes += len;
                end += Character.charCount(cp);
            }
            if (sb.length() > 0) {
                sb.append("\r\n ");
            }
            sb.append("=?UTF-8?B?")
                    .append(Base64.getEncoder().encodeToString(text.substring(i, end).getBytes(StandardCharsets.UTF_8)))
                    .append("?=");
            i = end;
        }
        return sb.toString();
    }

    /** {@code Name: value CRLF}, value RFC 2047 encoded when not ASCII, folded at spaces near 78 characters. */
    static String field(String name, String value) {
        String v = singleLine(value).strip();
        if (!isPrintableAscii(v)) {
            return name + ": " + encodedWords(v) + "\r\n";
        }
        StringBuilder line = new StringBuilder(name).append(':');
        int lineLength = line.length();
        for (String word : v.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (lineLength + 1 + word.length() > SOFT_LINE && lineLength > name.length() + 1) {
                line.append("\r\n");
                lineLength = 0;
            }
            line.append(' ').append(word);
            lineLength += 1 + word.length();
        }
        return line.append("\r\n").toString();
    }

    private static boolean validName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 76
                && name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ':');
    }

    private static String singleLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    }

    private static boolean isPrintableAscii(String s) {
        return s.chars().allMatch(c -> (c >= ' ' && c < 0x7f) || c == '\t');
    }

    private static OutgoingMessage concat(byte[] top, byte[] head, InputStream rest, long restSize) {
        InputStream stream = new SequenceInputStream(new ByteArrayInputStream(join(top, head)), rest);
        return new OutgoingMessage(stream, top.length + head.length + Math.max(0, restSize));
    }

    private static byte[] join(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
