package io.portcullis.spam.rules;

/** Syntax shared by the pattern analyses ({@link RegexCost}, {@link RegexPrefilter}, {@link RegexWidth}). */
final class RegexClasses {

    private RegexClasses() {
    }

    /**
     * Where the character class opened at {@code open} (a {@code [}) closes: the index of its {@code ]}, or
     * {@code p.length()} when it never closes. Handles {@code [^...]}, a leading {@code ]}, escapes and POSIX
     * {@code [:name:]} classes.
     */
    static int end(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        while (i < p.length() && p.charAt(i) != ']') {
            if (p.charAt(i) == '\\') {
                i++;
            } else if (p.charAt(i) == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                int close = p.indexOf(":]", i + 2);
                i = close < 0 ? i : close + 1;
            }
            i++;
        }
        return Math.min(i, p.length());
    }
}
