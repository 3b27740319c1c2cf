package io.portcullis.edge.delivery;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a body under DKIM relaxed body canonicalization (RFC 6376 section 3.4.4), computed as the bytes
 * stream past, in constant memory. Line ends are taken as the relay writes them on the wire: CRLF, and a bare CR or
 * LF as a line end of its own (the relay turns them into CRLF). Per line, runs of SP/HTAB become one SP and
 * trailing ones go; empty lines at the end go; a non-empty body ends in one CRLF.
 */
final class DkimBodyHash {

    private final MessageDigest digest;
    private long emptyLines;
    private boolean lineHasContent;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean finished;

    DkimBodyHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            update(b[i]);
        }
    }

    private void update(byte c) {
        if (pendingCr) {
            pendingCr = false;
            endLine();
            if (c == '\n') {
                return;
            }
        }
        if (c == '\r') {
            pendingCr = true;
        } else if (c == '\n') {
            endLine();
        } else if (c == ' ' || c == '\t') {
            pendingSpace = true;
        } else {
            if (!lineHasContent) {
                for (; emptyLines > 0; emptyLines--) {
                    digest.update((byte) '\r');
                    digest.update((byte) '\n');
                }
            }
            if (pendingSpace && lineHasContent) {
                digest.update((byte) ' ');
            } else if (pendingSpace) {
                // leading WSP of a line is kept (reduced to one SP): only trailing WSP is removed
                digest.update((byte) ' ');
            }
            pendingSpace = false;
            lineHasContent = true;
            digest.update(c);
        }
    }

    private void endLine() {
        if (lineHasContent) {
            digest.update((byte) '\r');
            digest.update((byte) '\n');
        } else {
            emptyLines++;
        }
        lineHasContent = false;
        pendingSpace = false;
    }

    /** The hash; the body ends here (an unterminated last line counts as a line). */
    byte[] digest() {
        if (!finished) {
            finished = true;
            if (pendingCr) {
                pendingCr = false;
                endLine();
            }
            if (lineHasContent) {
                endLine();
            }
        }
        return digest.digest();
    }
}
