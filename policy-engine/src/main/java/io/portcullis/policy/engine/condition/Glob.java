package io.portcullis.policy.engine.condition;

import java.util.Locale;

/** A case-insensitive glob: {@code *} any run of characters, {@code ?} one character. Linear-time matching. */
final class Glob {
    private final String pattern;

    Glob(String pattern) {
        this.pattern = pattern.toLowerCase(Locale.ROOT);
    }

    boolean matches(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
