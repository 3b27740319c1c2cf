package io.portcullis.policy.engine.content;

/** Char classes used by the matchers: word chars, whitespace and simple case folding. */
public final class TextChars {

    private TextChars() {
    }

    /**
     * True when the char at {@code index} belongs to a word: a Unicode letter, digit or combining mark (so that
     * "e" + U+0301 stays one word). Surrogate pairs are judged by their code point.
     */
    public static boolean isWordAt(CharSequence text, int index) {
        char c = text.charAt(index);
        int codePoint = c;
        if (Character.isHighSurrogate(c) && index + 1 < text.length()) {
            char low = text.charAt(index + 1);
            if (Character.isLowSurrogate(low)) {
                codePoint = Character.toCodePoint(c, low);
            }
        } else if (Character.isLowSurrogate(c) && index > 0) {
            char high = text.charAt(index - 1);
            if (Character.isHighSurrogate(high)) {
                codePoint = Character.toCodePoint(high, c);
            }
        }
        return isWordCodePoint(codePoint);
    }

    /** True for a Unicode letter, digit or combining mark. */
    public static boolean isWordCodePoint(int codePoint) {
        if (Character.isLetterOrDigit(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** Whitespace including no-break spaces (which {@link Character#isWhitespace} leaves out). */
    public static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Simple per-char case folding (no expansion such as "ß" to "ss"). */
    public static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** True for ASCII 0-9 (card numbers, IBANs and phone numbers are ASCII digits). */
    public static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** True for ASCII letters and digits. */
    public static boolean isAsciiAlnum(char c) {
        return isAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
