package io.portcullis.scanner.engine.senders;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The addresses of the top-level From header fields of a raw message. The header section (up to the first empty
 * line, at most {@value #MAX_HEADER_BYTES} bytes) is read as UTF-8 (RFC 6532; other bytes are read as Latin-1 so
 * nothing is lost), folded lines are unfolded, and each From field's address list is parsed by RFC 5322: comments,
 * quoted strings (an address inside a quoted display name is not the address), angle addresses with obsolete routes,
 * groups. Display names are ignored, so RFC 2047 encoded words never matter.
 */
public final class FromAddresses {
    /** Bytes of the header section looked at. */
    static final int MAX_HEADER_BYTES = 256 * 1024;
    /** Characters of one From field parsed. */
    static final int MAX_FIELD_CHARS = 16 * 1024;
    /** Addresses taken from one message's From fields. */
    static final int MAX_ADDRESSES = 50;

    /**
     * What the From header says.
     *
     * @param fields    how many From fields the header has (RFC 5322 allows exactly one)
     * @param addresses the mailboxes of all of them, in order, at most {@value #MAX_ADDRESSES}
     */
    public record Result(int fields, List<MailAddress> addresses) {
        public Result {
            addresses = List.copyOf(addresses);
        }
    }

    private FromAddresses() {
    }

    public static Result of(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return new Result(0, List.of());
        }
        int fields = 0;
        List<MailAddress> out = new ArrayList<>();
        for (String field : unfold(headerSection(raw))) {
            int colon = field.indexOf(':');
            if (colon <= 0 || !field.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("from")) {
                continue;
            }
            fields++;
            String value = field.substring(colon + 1);
            if (value.length() > MAX_FIELD_CHARS) {
                value = value.substring(0, MAX_FIELD_CHARS);
            }
            for (String a : addresses(value)) {
                if (out.size() >= MAX_ADDRESSES) {
                    break;
                }
                MailAddress.parse(a).ifPresent(out::add);
            }
        }
        return new Result(fields, out);
    }

    /** The header section as text: up to the first empty line or the end of the bytes (bounded). */
    static String headerSection(byte[] raw) {
        int limit = Math.min(raw.length, MAX_HEADER_BYTES);
        int end = limit;
        for (int i = 0; i < limit; i++) {
            if (raw[i] == '\n' && i + 1 < limit) {
                int next = raw[i + 1] == '\r' && i + 2 < limit ? i + 2 : i + 1;
                if (raw[next] == '\n') {
                    end = i + 1;
                    break;
                }
            }
        }
        if (end > 0 && raw[0] == '\n' || end > 1 && raw[0] == '\r' && raw[1] == '\n') {
            return ""; // no header at all
        }
        return decode(raw, end);
    }

    private static String decode(byte[] raw, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** Header fields with their continuation lines joined. */
    static List<String> unfold(String header) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : header.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (current != null && current.length() <= MAX_FIELD_CHARS) {
                    current.append(line);
                }
                continue;
            }
            if (current != null) {
                fields.add(current.toString());
            }
            current = new StringBuilder(line);
        }
        if (current != null && !current.isEmpty()) {
            fields.add(current.toString());
        }
        return fields;
    }

    /**
     * The addr-specs of an RFC 5322 address list ({@code local@domain} strings, local part possibly quoted). Display
     * names, comments and group names are dropped; white space around the addr-spec's tokens is removed (obsolete
     * syntax allows it).
     */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder plain = new StringBuilder(); // the current element outside angle brackets, comments removed
        StringBuilder angle = null; // the content of <...> of the current element, once seen
        boolean inAngle = false;
        int depth = 0; // comment nesting
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            StringBuilder target = inAngle ? angle : plain;
            if (quoted) {
                target.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    target.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    target.append(c);
                }
                case '(' -> depth = 1;
                case '<' -> {
                    if (!inAngle) {
                        inAngle = true;
                        angle = new StringBuilder();
                    }
                }
                case '>' -> inAngle = false;
                case ':' -> {
                    if (inAngle) {
                        angle.setLength(0); // obsolete route "@a,@b:" before the address
                    } else {
                        plain.setLength(0); // a group's display name
                    }
                }
                case ',', ';' -> {
                    if (inAngle) {
                        angle.append(c); // inside a route; dropped at the ':'
                    } else {
                        element(plain, angle, out);
                        plain.setLength(0);
                        angle = null;
                    }
                }
                default -> target.append(c);
            }
        }
        element(plain, angle, out); // the last element (also an unterminated <...>)
        return out;
    }

    private static void element(StringBuilder plain, StringBuilder angle, List<String> out) {
        String spec = angle != null ? angle.toString() : plain.toString();
        String compact = removeUnquotedWhitespace(spec);
        if (compact.indexOf('@') > 0) {
            out.add(compact);
        }
    }

    private static String removeUnquotedWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < s.length()) {
                out.append(c).append(s.charAt(++i));
                continue;
            }
            if (!quoted && Character.isWhitespace(c)) {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
