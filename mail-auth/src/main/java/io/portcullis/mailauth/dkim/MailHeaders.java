package io.portcullis.mailauth.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields and body of a raw RFC 5322 message as DKIM needs them: exact bytes (ISO-8859-1 strings, one char
 * per byte), folding kept, bare LF line ends read as CRLF. Bounded: at most {@link #MAX_FIELDS} fields and
 * {@link #MAX_HEADER_BYTES} of header; lines before the first field that are no field are skipped.
 */
public final class MailHeaders {
    static final int MAX_FIELDS = 2000;
    static final int MAX_HEADER_BYTES = 1 << 20;

    /**
     * @param name the field name as written
     * @param raw  the whole field as written, {@code Name: value} with folding CRLFs, without the final CRLF
     */
    public record Field(String name, String raw) {
        /** The value after the colon, unfolded. */
        public String value() {
            return raw.substring(raw.indexOf(':') + 1).replace("\r\n", "");
        }

        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private final List<Field> fields;
    private final String body;

    private MailHeaders(List<Field> fields, String body) {
        this.fields = List.copyOf(fields);
        this.body = body;
    }

    public List<Field> fields() {
        return fields;
    }

    /** The body after the empty line, CRLF line ends; empty when there is none. */
    public String body() {
        return body;
    }

    public List<Field> all(String name) {
        return fields.stream().filter(f -> f.is(name)).toList();
    }

    public static MailHeaders parse(byte[] raw) {
        String text = new String(crlf(raw), StandardCharsets.ISO_8859_1);
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        StringBuilder current = null;
        String currentName = null;
        while (pos < text.length()) {
            int eol = text.indexOf("\r\n", pos);
            String line = eol < 0 ? text.substring(pos) : text.substring(pos, eol);
            int next = eol < 0 ? text.length() : eol + 2;
            if (line.isEmpty()) {
                pos = next;
                break;
            }
            if (pos > MAX_HEADER_BYTES || fields.size() >= MAX_FIELDS) {
                current = null;
                pos = next;
                continue; // past the limits: read to the body, keep nothing
            }
            char first = line.charAt(0);
            if ((first == ' ' || first == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(new Field(currentName, current.toString()));
                }
                int colon = line.indexOf(':');
                String name = colon > 0 ? line.substring(0, colon).strip() : "";
                if (colon > 0 && !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                    current = new StringBuilder(line);
                    currentName = name;
                } else {
                    current = null; // not a field (or a From_ line): skipped
                }
            }
            pos = next;
        }
        if (current != null && fields.size() < MAX_FIELDS) {
            fields.add(new Field(currentName, current.toString()));
        }
        return new MailHeaders(fields, pos < text.length() ? text.substring(pos) : "");
    }

    /** Bare LF → CRLF (mail submitted through the API often has Unix line ends). */
    static byte[] crlf(byte[] raw) {
        boolean bare = false;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                bare = true;
                break;
            }
        }
        if (!bare) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 32);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(raw[i]);
        }
        return out.toByteArray();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
