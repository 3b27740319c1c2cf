package io.portcullis.edge.smtp.protocol;

import java.util.Arrays;

/**
 * Reads the DATA section of one message: dot-unstuffing, end detection and limits, with bounded memory.
 *
 * <p>The message ends ONLY at {@code <CRLF>.<CRLF>}, where the first CRLF ends a real line (the DATA command's own
 * CRLF counts as one, so an empty message is just {@code .<CRLF>}). A bare LF or a bare CR anywhere never ends a
 * line: {@code <LF>.<LF>}, {@code <LF>.<CRLF>}, {@code <CR>.<CRLF>}, {@code <CRLF>.<LF>} and the like are read as
 * content and mark the message {@link #hasBareLineEnding() unacceptable}, so the server refuses it after the real
 * end and nothing smuggled after them can ever become a second message.
 *
 * <p>A line starting with a dot loses that dot (RFC 5321 section 4.5.2). Bytes beyond {@code maxBytes} are counted
 * out and discarded; reading still continues to the real end so the connection stays in sync.
 */
public final class DataReader {

    private enum State {
        LINE_START, IN_LINE, CR, DOT, DOT_CR
    }

    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final int maxBytes;
    private byte[] out;
    private int size;
    private State state = State.LINE_START;
    private boolean oversized;
    private boolean bareLineEnding;
    private boolean done;

    /** @param maxBytes largest message kept */
    public DataReader(long maxBytes) {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
        }
        this.maxBytes = (int) maxBytes;
        this.out = new byte[(int) Math.min(INITIAL_CAPACITY, maxBytes)];
    }

    /**
     * Consumes message bytes.
     *
     * @return the index after the last consumed byte; once {@link #isDone()}, the bytes from there on belong to the
     *         command stream
     */
    public int feed(byte[] src, int from, int to) {
        if (done) {
            return from;
        }
        for (int i = from; i < to; i++) {
            byte b = src[i];
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = State.DOT;
                    } else {
                        inLine(b);
                    }
                }
                case IN_LINE -> inLine(b);
                case CR -> {
                    if (b == '\n') {
                        emit((byte) '\r');
                        emit((byte) '\n');
                        state = State.LINE_START;
                    } else {
                        bareLineEnding = true; // the previous CR was not followed by LF
                        emit((byte) '\r');
                        inLine(b);
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = State.DOT_CR;
                    } else {
                        // ".." is an escaped dot; ".x" loses its dot too (RFC 5321 4.5.2)
                        inLine(b);
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        done = true;
                        return i + 1;
                    }
                    bareLineEnding = true;
                    emit((byte) '\r');
                    inLine(b);
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return to;
    }

    private void inLine(byte b) {
        if (b == '\r') {
            state = State.CR;
            return;
        }
        if (b == '\n') {
            bareLineEnding = true; // a bare LF is content, never a line end
        }
        emit(b);
        state = State.IN_LINE;
    }

    private void emit(byte b) {
        if (size >= maxBytes) {
            oversized = true;
            return;
        }
        if (size == out.length) {
            out = Arrays.copyOf(out, (int) Math.min((long) out.length * 2, maxBytes));
        }
        out[size++] = b;
    }

    /** The final {@code <CRLF>.<CRLF>} has been read. */
    public boolean isDone() {
        return done;
    }

    /** More than {@code maxBytes} bytes were sent; the excess was discarded. */
    public boolean isOversized() {
        return oversized;
    }

    /** A bare CR or LF occurred: the message must be refused. */
    public boolean hasBareLineEnding() {
        return bareLineEnding;
    }

    /** Bytes of message kept (at most {@code maxBytes}). */
    public int size() {
        return size;
    }

    /** Bytes currently allocated, never more than {@code maxBytes}. */
    public int capacity() {
        return out.length;
    }

    /** Copies the message into {@code dest} at {@code offset}. */
    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(out, 0, dest, offset, size);
    }

    /** A copy of the message. */
    public byte[] message() {
        return Arrays.copyOf(out, size);
    }
}
