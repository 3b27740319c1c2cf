package io.portcullis.mailauth.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one DKIM body canonicalization (RFC 6376 sections 3.4.3 and 3.4.4) and its SHA-256, computed as the bytes
 * stream past, in constant memory. Simple: trailing empty lines go, a body ends in one CRLF (the empty body is CRLF).
 * Relaxed: per line, runs of SP/HTAB become one SP and trailing ones go; empty lines at the end go; a non-empty body
 * ends in one CRLF. An {@code l=} limit hashes only the first bytes of the canonical body; {@link #length()} tells
 * the whole canonical length.
 *
 * <p>Line ends are CRLF ({@link #of}: as a verifier reads them), or also a bare CR or LF ({@link #relaxedAsSent}:
 * as the edge relay writes them on the wire, where it turns them into CRLF).
 */
public final class DkimBodyHash {

    private final MessageDigest digest;
    private final boolean relaxed;
    private final boolean bareLineEnds;
    private final long limit;
    private final ByteArrayOutputStream copy;
    private final byte[] buffer = new byte[8192];
    private int buffered;
    private long length;
    private long emptyLines;
    private boolean lineHasContent;
    private boolean pendingSpace;
    private boolean pendingCr;
    private byte[] result;

    private DkimBodyHash(boolean relaxed, boolean bareLineEnds, Long limit, ByteArrayOutputStream copy) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.relaxed = relaxed;
        this.bareLineEnds = bareLineEnds;
        this.limit = limit == null ? Long.MAX_VALUE : limit;
        this.copy = copy;
    }

    /** Relaxed canonicalization with bare CR and LF as line ends of their own (what the relay sends). */
    public static DkimBodyHash relaxedAsSent() {
        return new DkimBodyHash(true, true, null, null);
    }

    /**
     * Simple or relaxed canonicalization of a body with CRLF line ends.
     *
     * @param limit the {@code l=} length, or null for the whole body
     */
    public static DkimBodyHash of(boolean relaxed, Long limit) {
        return new DkimBodyHash(relaxed, false, limit, null);
    }

    /** The canonical form of a body (CRLF line ends, one char per byte) as text, for tests and diagnostics. */
    static String canonical(String body, boolean relaxed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DkimBodyHash h = new DkimBodyHash(relaxed, false, null, out);
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        h.update(b, 0, b.length);
        h.digest();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    public void update(byte[] b, int off, int len) {
        if (result != null) {
            throw new IllegalStateException("body hash already computed");
        }
        for (int i = off; i < off + len; i++) {
            update(b[i]);
        }
    }

    private void update(byte c) {
        if (pendingCr) {
            pendingCr = false;
            if (c == '\n') {
                endLine();
                return;
            }
            if (bareLineEnds) {
                endLine();
            } else {
                content((byte) '\r');
            }
        }
        if (c == '\r') {
            pendingCr = true;
        } else if (c == '\n' && bareLineEnds) {
            endLine();
        } else if (relaxed && (c == ' ' || c == '\t')) {
            pendingSpace = true;
        } else {
            content(c);
        }
    }

    private void content(byte c) {
        if (!lineHasContent) {
            for (; emptyLines > 0; emptyLines--) {
                emit((byte) '\r');
                emit((byte) '\n');
            }
        }
        if (pendingSpace) {
            // runs of WSP become one SP, leading ones included: only trailing WSP is removed
            emit((byte) ' ');
            pendingSpace = false;
        }
        lineHasContent = true;
        emit(c);
    }

    private void endLine() {
        if (lineHasContent) {
            emit((byte) '\r');
            emit((byte) '\n');
        } else {
            emptyLines++;
        }
        lineHasContent = false;
        pendingSpace = false;
    }

    private void emit(byte b) {
        if (length++ < limit) {
            buffer[buffered++] = b;
            if (buffered == buffer.length) {
                flush();
            }
        }
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        if (copy != null) {
            copy.write(buffer, 0, buffered);
        }
        buffered = 0;
    }

    /** The hash; the body ends here (an unterminated last line counts as a line). */
    public byte[] digest() {
        if (result == null) {
            if (pendingCr) {
                pendingCr = false;
                if (bareLineEnds) {
                    endLine();
                } else {
                    content((byte) '\r');
                }
            }
            if (lineHasContent) {
                endLine();
            }
            if (!relaxed && length == 0) {
                emit((byte) '\r');
                emit((byte) '\n');
            }
            flush();
            result = digest.digest();
        }
        return result.clone();
    }

    /** Length of the whole canonical body in bytes (beyond any limit); valid after {@link #digest()}. */
    public long length() {
        return length;
    }
}
