package io.portcullis.edge.smtp.protocol;

import java.util.Arrays;

/**
 * Splits the command stream into lines without ever holding more than {@code maxLength} bytes.
 *
 * <p>Strict line endings: a line ends at LF; it is clean only when that LF is preceded by CR and no other CR occurs
 * in it. A bare LF or a bare CR makes the line {@link Problem#BARE_LINE_ENDING} (answered 500 5.5.2): accepting
 * them is what makes SMTP smuggling possible, so the server never treats them as line ends. A line longer than
 * {@code maxLength} is discarded byte by byte up to its LF and reported as {@link Problem#TOO_LONG}.
 */
public final class CommandLineReader {

    /** What is wrong with a line. */
    public enum Problem {
        NONE, BARE_LINE_ENDING, TOO_LONG
    }

    /**
     * A complete line.
     *
     * @param bytes   the line without its CRLF (empty when too long)
     * @param problem NONE when the line is usable
     */
    public record Line(byte[] bytes, Problem problem) {
    }

    private final int maxLength;
    private final byte[] buf;
    private int length;
    private boolean pendingCr;
    private boolean bareLineEnding;
    private boolean tooLong;
    private Line completed;

    /** @param maxLength longest line kept, without CRLF */
    public CommandLineReader(int maxLength) {
        this.maxLength = maxLength;
        this.buf = new byte[maxLength];
    }

    /**
     * Consumes bytes up to and including the end of the next line.
     *
     * @return the index after the last consumed byte; when it is before {@code to}, or the last byte was LF, a line
     *         is ready in {@link #takeLine()}
     */
    public int feed(byte[] src, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = src[i];
            if (b == '\n') {
                Problem problem = tooLong ? Problem.TOO_LONG
                        : bareLineEnding || !pendingCr ? Problem.BARE_LINE_ENDING : Problem.NONE;
                completed = new Line(problem == Problem.TOO_LONG ? new byte[0] : Arrays.copyOf(buf, length), problem);
                reset();
                return i + 1;
            }
            if (pendingCr) {
                bareLineEnding = true; // a CR not followed by LF
            }
            if (b == '\r') {
                pendingCr = true;
                continue;
            }
            pendingCr = false;
            if (length < maxLength) {
                buf[length++] = b;
            } else {
                tooLong = true;
            }
        }
        return to;
    }

    /** The line completed by the last {@link #feed}, once; null when none. */
    public Line takeLine() {
        Line line = completed;
        completed = null;
        return line;
    }

    /** Bytes of the current incomplete line held so far. */
    public int buffered() {
        return length;
    }

    /** Forgets any partial or completed line (after STARTTLS). */
    public void clear() {
        reset();
        completed = null;
    }

    private void reset() {
        length = 0;
        pendingCr = false;
        bareLineEnding = false;
        tooLong = false;
    }
}
