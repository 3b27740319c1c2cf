package io.portcullis.edge.delivery;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content inside SMTP DATA: dot-stuffs lines that start with '.', turns bare LF and bare CR
 * into CRLF (RFC 5321 section 2.3.8 forbids them on the wire), and on {@link #finish()} ends the last line
 * and writes the {@code .CRLF} terminator. A message already in canonical CRLF form passes through
 * byte for byte apart from the stuffing, so signatures over it stay valid.
 */
final class SmtpDataOutputStream extends FilterOutputStream {

    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private boolean atLineStart = true;
    private boolean pendingCr;
    private long bareLineEnds;
    private boolean finished;

    SmtpDataOutputStream(OutputStream out) {
        super(out);
    }

    /** How many bare CR or LF were turned into CRLF. */
    long bareLineEnds() {
        return bareLineEnds;
    }

    @Override
    public void write(int b) throws IOException {
        byte c = (byte) b;
        if (pendingCr) {
            pendingCr = false;
            if (c == '\n') {
                crlf();
                return;
            }
            bareLineEnds++;
            crlf();
        }
        if (c == '\r') {
            pendingCr = true;
        } else if (c == '\n') {
            bareLineEnds++;
            crlf();
        } else {
            if (atLineStart && c == '.') {
                put((byte) '.');
            }
            put(c);
            atLineStart = false;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Ends the content: completes an unterminated last line and writes {@code .CRLF}. Does not close. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (pendingCr) {
            pendingCr = false;
            bareLineEnds++;
            crlf();
        }
        if (!atLineStart) {
            crlf();
        }
        put((byte) '.');
        put((byte) '\r');
        put((byte) '\n');
        flush();
    }

    @Override
    public void flush() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void crlf() throws IOException {
        put((byte) '\r');
        put((byte) '\n');
        atLineStart = true;
    }

    private void put(byte c) throws IOException {
        if (pos == buf.length) {
            out.write(buf, 0, pos);
            pos = 0;
        }
        buf[pos++] = c;
    }
}
