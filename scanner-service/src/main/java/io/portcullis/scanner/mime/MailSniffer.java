package io.portcullis.scanner.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises an RFC 822 message or an mbox mailbox in bytes that were not declared as one (an attached {@code .eml}
 * sent as application/octet-stream, a mailbox in a zip): a header block of well-formed fields that includes a MIME
 * field, optionally after an mbox {@code From } line. Plain text that merely starts like a header is not enough.
 */
final class MailSniffer {
    private static final int WINDOW = 8192;
    private static final Set<String> MIME_FIELDS = Set.of("mime-version", "content-type",
            "content-transfer-encoding");
    private static final Set<String> MAIL_FIELDS = Set.of("from", "to", "cc", "subject", "date", "message-id",
            "received", "return-path", "reply-to", "sender", "delivered-to", "mime-version", "content-type",
            "content-transfer-encoding", "x-mailer", "organization", "user-agent", "in-reply-to", "references");

    private MailSniffer() {
    }

    static boolean looksLikeMessage(byte[] d) {
        return d.length > 0 && headerEnd(d, start(d, 0)) > 0;
    }

    /** Where the header block starts: after an mbox {@code From } line, if any. */
    private static int start(byte[] d, int from) {
        if (startsWith(d, from, "From ")) {
            int nl = indexOf(d, (byte) '\n', from, Math.min(d.length, from + 1024));
            return nl < 0 ? d.length : nl + 1;
        }
        return from;
    }

    /**
     * @return the offset after the header block when it looks like a mail header (two or more known fields, one of
     *         them a MIME field, every line a field or a continuation), else -1
     */
    private static int headerEnd(byte[] d, int from) {
        int end = Math.min(d.length, from + WINDOW);
        int p = from;
        int known = 0;
        boolean mime = false;
        int lines = 0;
        while (p < end) {
            int nl = indexOf(d, (byte) '\n', p, end);
            int lineEnd = nl < 0 ? end : nl;
            int len = lineEnd - p - (lineEnd > p && d[lineEnd - 1] == '\r' ? 1 : 0);
            if (len == 0) {
                return lines > 0 && known >= 2 && mime ? lineEnd + 1 : -1;
            }
            if (d[p] == ' ' || d[p] == '\t') {
                if (lines == 0) {
                    return -1;
                }
            } else {
                int colon = -1;
                for (int i = p; i < p + len; i++) {
                    byte b = d[i];
                    if (b == ':') {
                        colon = i;
                        break;
                    }
                    if (b <= ' ' || b >= 127) {
                        return -1;
                    }
                }
                if (colon <= p) {
                    return -1;
                }
                String name = new String(d, p, colon - p, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                if (MAIL_FIELDS.contains(name)) {
                    known++;
                }
                mime |= MIME_FIELDS.contains(name);
            }
            lines++;
            if (nl < 0) {
                return -1;
            }
            p = nl + 1;
        }
        return -1;
    }

    /**
     * The messages of a mailbox: split at {@code From } lines that follow an empty line (or start the data); one
     * message for anything else.
     *
     * @return offsets {start, end} of each message, the mbox separator line excluded
     */
    static List<int[]> messages(byte[] d, int max) {
        List<int[]> out = new ArrayList<>();
        int start = start(d, 0);
        int p = start;
        while (out.size() < max - 1) {
            int next = -1;
            for (int i = indexOf(d, (byte) '\n', p, d.length); i >= 0 && i + 6 < d.length;
                    i = indexOf(d, (byte) '\n', i + 1, d.length)) {
                boolean blankBefore = i >= 1 && d[i - 1] == '\n' || i >= 2 && d[i - 1] == '\r' && d[i - 2] == '\n';
                if (blankBefore && startsWith(d, i + 1, "From ")) {
                    next = i + 1;
                    break;
                }
            }
            if (next < 0) {
                break;
            }
            out.add(new int[] {start, next});
            start = start(d, next);
            p = start;
        }
        out.add(new int[] {start, d.length});
        return out;
    }

    private static boolean startsWith(byte[] d, int at, String s) {
        if (at + s.length() > d.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (d[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] d, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
