package io.portcullis.edge.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One (possibly multi-line) SMTP reply: {@code 250-first}, {@code 250-second}, {@code 250 last}.
 *
 * @param code  the three-digit reply code
 * @param lines the text of every line, without code and separator
 */
public record SmtpReply(int code, List<String> lines) {

    /** Longest reply line accepted from a remote server (RFC 5321 allows 512; be lenient, but bounded). */
    static final int MAX_LINE = 4096;
    /** Most lines in one reply. */
    static final int MAX_LINES = 256;

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    public boolean isPositive() {
        return code >= 200 && code < 300;
    }

    public boolean isTemporary() {
        return code >= 400 && code < 500;
    }

    /** The reply as one line for events and logs: {@code 250 first second}. */
    @Override
    public String toString() {
        return code + (lines.isEmpty() ? "" : " " + String.join(" ", lines)).stripTrailing();
    }

    /**
     * Reads one reply.
     *
     * @throws java.io.EOFException when the connection closes before a full reply
     * @throws IOException          when the reply is malformed (bad code, mixed codes, too long)
     */
    static SmtpReply read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine(in);
            if (line.length() < 3 || !isDigits(line.substring(0, 3))
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed SMTP reply line: " + abbreviate(line));
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new IOException("reply code changed inside a multi-line reply: " + code + " then " + lineCode);
            }
            code = lineCode;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(code, lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new IOException("SMTP reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("connection closed by the next hop");
            }
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (buf.size() >= MAX_LINE) {
                throw new IOException("SMTP reply line longer than " + MAX_LINE + " bytes");
            }
            buf.write(b);
        }
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
