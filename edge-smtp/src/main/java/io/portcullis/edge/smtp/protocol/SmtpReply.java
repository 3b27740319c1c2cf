package io.portcullis.edge.smtp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: a three-digit code, an optional RFC 3463 enhanced status code and one or more lines of text.
 *
 * @param code     basic reply code (RFC 5321 section 4.2)
 * @param enhanced enhanced status code such as {@code 5.5.2}, or null (greeting, EHLO/HELO, 354)
 * @param lines    text lines; more than one renders as a multi-line reply
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs text");
        }
    }

    public SmtpReply(int code, String enhanced, String text) {
        this(code, enhanced, List.of(text));
    }

    /** 4xx or 5xx. */
    public boolean isError() {
        return code >= 400;
    }

    /** The wire form, every line ending in CRLF. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i < lines.size() - 1 ? '-' : ' ');
            if (enhanced != null) {
                sb.append(enhanced).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /** Code, enhanced code and first line, for logs. */
    @Override
    public String toString() {
        return code + (enhanced == null ? "" : " " + enhanced);
    }
}
