package io.portcullis.spam;

import java.util.regex.Matcher;

/**
 * Faster {@code find()} for the URL patterns of the tokenizer and the rule parser, which can only match starting at
 * "http" or "www." (ASCII, any case): the text is scanned for those starts and the pattern is tried only there
 * ({@code lookingAt} with transparent bounds, so {@code \b} still sees the character before). The matches are the
 * ones {@code find()} gives, in the same order; a generic regex search tries every position instead.
 */
public final class UrlStarts {

    private UrlStarts() {
    }

    /**
     * The next match of {@code m} (over {@code text}) starting at or after {@code from}; the match is in {@code m}.
     * The pattern must be unable to match anywhere but at "http" or "www." in any ASCII case.
     */
    public static boolean find(Matcher m, CharSequence text, int from) {
        int n = text.length();
        for (int i = Math.max(0, from); i + 4 <= n; i++) {
            char c = (char) (text.charAt(i) | 0x20);
            if (c == 'h' ? isHttp(text, i) : c == 'w' && isWww(text, i)) {
                m.region(i, n);
                m.useTransparentBounds(true);
                if (m.lookingAt()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isHttp(CharSequence s, int i) {
        return (s.charAt(i + 1) | 0x20) == 't' && (s.charAt(i + 2) | 0x20) == 't' && (s.charAt(i + 3) | 0x20) == 'p';
    }

    private static boolean isWww(CharSequence s, int i) {
        return (s.charAt(i + 1) | 0x20) == 'w' && (s.charAt(i + 2) | 0x20) == 'w' && s.charAt(i + 3) == '.';
    }
}
