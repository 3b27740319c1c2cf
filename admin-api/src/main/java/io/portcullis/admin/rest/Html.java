package io.portcullis.admin.rest;

/** HTML text escaping for the few pages admin-api renders itself. */
final class Html {
    private Html() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0x7f || c == '\n' || c == '\t') {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
