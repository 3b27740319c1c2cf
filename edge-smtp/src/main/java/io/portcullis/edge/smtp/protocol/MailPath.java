package io.portcullis.edge.smtp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A reverse or forward path from MAIL FROM / RCPT TO, parsed per RFC 5321 section 4.1.2 (with RFC 6531 UTF-8).
 *
 * <p>Accepted: {@code <local@domain>}, optional leading spaces after the colon, an ignored source route
 * ({@code <@a,@b:local@domain>}), a quoted local part, a domain of LDH or UTF-8 labels or an address literal.
 * Rejected: missing angle brackets, empty or over-long parts (local 64, domain 255, path 256 octets), control
 * characters.
 *
 * @param address  {@code local@domain} without brackets; empty for the null path {@code <>}
 * @param domain   the domain in lower case (brackets kept for an address literal); empty for {@code <>}
 * @param nonAscii whether the address contains non-ASCII characters (needs SMTPUTF8)
 * @param rest     what followed the closing bracket (the ESMTP parameters), trimmed
 */
public record MailPath(String address, String domain, boolean nonAscii, String rest) {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    /** The null reverse path {@code <>}. */
    public boolean isNull() {
        return address.isEmpty();
    }

    /**
     * Parses the text after {@code FROM:} or {@code TO:}.
     *
     * @param allowNull whether {@code <>} is acceptable (MAIL) or not (RCPT)
     * @return empty when the path is not valid
     */
    public static Optional<MailPath> parse(String text, boolean allowNull) {
        String s = stripLeadingSpaces(text);
        if (!s.startsWith("<")) {
            return Optional.empty();
        }
        int close = closingBracket(s);
        if (close < 0) {
            return Optional.empty();
        }
        String inner = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') {
            return Optional.empty();
        }
        rest = rest.trim();
        if (inner.isEmpty()) {
            return allowNull ? Optional.of(new MailPath("", "", false, rest)) : Optional.empty();
        }
        if (utf8Length(inner) > 254) {
            return Optional.empty();
        }
        if (inner.startsWith("@")) { // source route: ignore it (RFC 5321 section 4.1.2, C.1)
            int colon = inner.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            for (String hop : inner.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@") || !isDomain(hop.substring(1))) {
                    return Optional.empty();
                }
            }
            inner = inner.substring(colon + 1);
        }
        int at = inner.lastIndexOf('@');
        if (at <= 0 || at == inner.length() - 1) {
            return Optional.empty();
        }
        String local = inner.substring(0, at);
        String domain = inner.substring(at + 1);
        if (!isLocalPart(local) || utf8Length(local) > 64 || !(isDomain(domain) || isAddressLiteral(domain))) {
            return Optional.empty();
        }
        boolean nonAscii = inner.chars().anyMatch(c -> c > 127);
        return Optional.of(new MailPath(inner, domain.toLowerCase(Locale.ROOT), nonAscii, rest));
    }

    private static String stripLeadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    /** Index of the '>' closing the path, skipping quoted strings; -1 when none. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                return i;
            } else if (c == '<') {
                return -1;
            }
        }
        return -1;
    }

    static boolean isLocalPart(String local) {
        if (local.startsWith("\"")) {
            return isQuotedString(local);
        }
        for (String atom : local.split("\\.", -1)) {
            if (atom.isEmpty()) {
                return false;
            }
            for (int i = 0; i < atom.length(); i++) {
                if (!isAtext(atom.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isQuotedString(String s) {
        if (s.length() < 2 || !s.endsWith("\"")) {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= s.length() - 1 || s.charAt(i) < 32 || s.charAt(i) == 127) {
                    return false;
                }
            } else if (c == '"' || c < 32 || c == 127) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || (c > 127 && !Character.isISOControl(c)
                        && !Character.isWhitespace(c));
    }

    static boolean isDomain(String domain) {
        if (domain.isEmpty() || utf8Length(domain) > 255) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                boolean uLabel = c > 127 && Character.isLetterOrDigit(c);
                if (!ldh && !uLabel) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isAddressLiteral(String domain) {
        if (domain.length() < 3 || domain.charAt(0) != '[' || domain.charAt(domain.length() - 1) != ']') {
            return false;
        }
        String inner = domain.substring(1, domain.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            return inner.substring(5).matches("[0-9A-Fa-f:.]{2,45}");
        }
        String[] parts = inner.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
