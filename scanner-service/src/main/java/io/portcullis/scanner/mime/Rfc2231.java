package io.portcullis.scanner.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * RFC 2231 parameter values ({@code name*=UTF-8''a%20b}, {@code name*0*=...; name*1=...}) for the parameters mime4j
 * leaves encoded (it decodes them for Content-Disposition, not for Content-Type).
 */
final class Rfc2231 {
    private static final int MAX_SECTIONS = 64;

    private Rfc2231() {
    }

    /** @return the decoded value of parameter {@code name}, or null when it has no RFC 2231 form */
    static String decode(Map<String, String> params, String name) {
        String single = params.get(name + "*");
        if (single != null) {
            return decodeExtended(single, null, true);
        }
        StringBuilder value = new StringBuilder();
        Charset charset = null;
        int i = 0;
        for (; i < MAX_SECTIONS; i++) {
            String encoded = params.get(name + "*" + i + "*");
            String plain = params.get(name + "*" + i);
            if (encoded != null) {
                if (i == 0) {
                    charset = charsetOf(encoded);
                }
                value.append(decodeExtended(encoded, charset, i == 0));
            } else if (plain != null) {
                value.append(plain);
            } else {
                break;
            }
        }
        return i == 0 ? null : value.toString();
    }

    private static Charset charsetOf(String ext) {
        int q = ext.indexOf('\'');
        if (q <= 0) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(ext.substring(0, q).trim());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String decodeExtended(String ext, Charset known, boolean hasPrefix) {
        Charset charset = known;
        String text = ext;
        if (hasPrefix) {
            int q1 = ext.indexOf('\'');
            int q2 = q1 < 0 ? -1 : ext.indexOf('\'', q1 + 1);
            if (q2 > q1) {
                charset = charsetOf(ext);
                text = ext.substring(q2 + 1);
            }
        }
        if (charset == null) {
            charset = StandardCharsets.UTF_8;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(charset);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
