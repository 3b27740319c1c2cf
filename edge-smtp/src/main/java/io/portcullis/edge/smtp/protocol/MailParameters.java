package io.portcullis.edge.smtp.protocol;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * The ESMTP parameters of MAIL FROM that this server supports: {@code SIZE=n} (RFC 1870),
 * {@code BODY=7BIT|8BITMIME} (RFC 6152) and {@code SMTPUTF8} (RFC 6531).
 *
 * @param declaredSize the SIZE the client announced, if any
 * @param eightBit     BODY=8BITMIME was given
 * @param smtpUtf8     SMTPUTF8 was given
 */
public record MailParameters(OptionalLong declaredSize, boolean eightBit, boolean smtpUtf8) {

    /** Why parameters were refused; {@link #reply()} is what the client gets. */
    public static final class InvalidParameterException extends Exception {
        private final transient SmtpReply reply;

        InvalidParameterException(SmtpReply reply) {
            super(reply.toString(), null, false, false);
            this.reply = reply;
        }

        public SmtpReply reply() {
            return reply;
        }
    }

    public static final MailParameters NONE = new MailParameters(OptionalLong.empty(), false, false);

    /**
     * Parses space-separated {@code keyword[=value]} parameters.
     *
     * @throws InvalidParameterException 501 5.5.4 for bad syntax or a repeated keyword, 504 5.5.4 for an unknown
     *                                   BODY type, 555 5.5.4 for an unknown keyword
     */
    public static MailParameters parse(String text) throws InvalidParameterException {
        OptionalLong size = OptionalLong.empty();
        Boolean eightBit = null;
        boolean utf8 = false;
        if (text.isBlank()) {
            return NONE;
        }
        for (String param : text.trim().split(" +")) {
            int eq = param.indexOf('=');
            String keyword = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            if (!keyword.matches("[A-Z0-9][A-Z0-9-]*")) {
                throw new InvalidParameterException(SmtpReplies.SYNTAX_ERROR);
            }
            switch (keyword) {
                case "SIZE" -> {
                    if (size.isPresent() || value == null || !value.matches("[0-9]{1,18}")) {
                        throw new InvalidParameterException(SmtpReplies.SYNTAX_ERROR);
                    }
                    size = OptionalLong.of(Long.parseLong(value));
                }
                case "BODY" -> {
                    if (eightBit != null || value == null) {
                        throw new InvalidParameterException(SmtpReplies.SYNTAX_ERROR);
                    }
                    String body = value.toUpperCase(Locale.ROOT);
                    if (body.equals("8BITMIME")) {
                        eightBit = true;
                    } else if (body.equals("7BIT")) {
                        eightBit = false;
                    } else {
                        throw new InvalidParameterException(SmtpReplies.UNSUPPORTED_BODY);
                    }
                }
                case "SMTPUTF8" -> {
                    if (utf8 || value != null) {
                        throw new InvalidParameterException(SmtpReplies.SYNTAX_ERROR);
                    }
                    utf8 = true;
                }
                default -> throw new InvalidParameterException(SmtpReplies.UNSUPPORTED_PARAMETER);
            }
        }
        return new MailParameters(size, Boolean.TRUE.equals(eightBit), utf8);
    }
}
