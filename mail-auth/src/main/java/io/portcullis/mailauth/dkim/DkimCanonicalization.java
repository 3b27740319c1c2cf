package io.portcullis.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one DKIM header canonicalization (RFC 6376 sections 3.4.1, 3.4.2, 3.7), used by both the signer and the
 * verifier; the body canonicalization is {@link DkimBodyHash}.
 */
public final class DkimCanonicalization {
    private DkimCanonicalization() {
    }

    /**
     * The signed header data: for each name in {@code signed}, the last field of that name not yet used (a name
     * with no field left adds nothing), then the DKIM-Signature field itself with an empty {@code b=} and no final
     * CRLF.
     *
     * @param fields         the header fields top to bottom, each as written ({@code Name: value} with folding
     *                       CRLFs, no final CRLF)
     * @param signed         the names of {@code h=}
     * @param signatureField the DKIM-Signature field, its {@code b=} value already removed
     */
    public static byte[] headerData(List<String> fields, List<String> signed, String signatureField,
            boolean relaxed) {
        Map<String, Integer> used = new HashMap<>();
        StringBuilder data = new StringBuilder();
        for (String name : signed) {
            String lower = lower(name);
            int skip = used.getOrDefault(lower, 0);
            int seen = 0;
            for (int i = fields.size() - 1; i >= 0; i--) {
                String f = fields.get(i);
                if (named(f, name) && seen++ == skip) {
                    data.append(relaxed ? relaxedHeader(f) : f).append("\r\n");
                    break;
                }
            }
            used.put(lower, skip + 1);
        }
        data.append(relaxed ? relaxedHeader(signatureField) : signatureField);
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether a raw field has this name (case-insensitive). */
    public static boolean named(String field, String name) {
        int colon = field.indexOf(':');
        return colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name);
    }

    /** The field with the value of its b= tag deleted (RFC 6376 section 3.7). */
    public static String withoutSignature(String raw) {
        int colon = raw.indexOf(':');
        StringBuilder out = new StringBuilder(raw.substring(0, colon + 1));
        String value = raw.substring(colon + 1);
        int start = 0;
        while (start <= value.length()) {
            int semi = value.indexOf(';', start);
            String segment = semi < 0 ? value.substring(start) : value.substring(start, semi);
            int eq = segment.indexOf('=');
            if (eq > 0 && segment.substring(0, eq).strip().equals("b")) {
                out.append(segment, 0, eq + 1);
            } else {
                out.append(segment);
            }
            if (semi < 0) {
                break;
            }
            out.append(';');
            start = semi + 1;
        }
        return out.toString();
    }

    /** Relaxed header canonicalization (RFC 6376 section 3.4.2) of one field. */
    public static String relaxedHeader(String raw) {
        int colon = raw.indexOf(':');
        String name = lower(trimWsp(raw.substring(0, colon)));
        String value = trimWsp(raw.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " "));
        return name + ":" + value;
    }

    /** Removes SP and HTAB (only those: RFC 6376 WSP) from both ends. */
    private static String trimWsp(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
