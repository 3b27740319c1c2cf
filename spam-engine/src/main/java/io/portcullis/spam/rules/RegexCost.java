package io.portcullis.spam.rules;

/**
 * An upper estimate of the size of the program a pattern compiles to, counting counted repetitions as copies
 * ({@code (a{100}){100}} is 10,000). RE2/J matches in time linear in the text, but proportional to that size too, and
 * compiling {@code (a{1000}){1000}} alone takes minutes and gigabytes: patterns above {@link #MAX} are refused before
 * they are compiled.
 */
final class RegexCost {
    /** Largest estimated program accepted. */
    static final long MAX = 3000;
    private static final long CAP = 1L << 40;

    private final String p;
    private int i;

    private RegexCost(String pattern) {
        this.p = pattern;
    }

    /** The estimate (saturating, never negative). */
    static long estimate(String pattern) {
        RegexCost c = new RegexCost(pattern);
        return c.sequence(0);
    }

    private long sequence(int depth) {
        long total = 0;
        long last = 0;
        while (i < p.length()) {
            char c = p.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i < p.length() && (p.charAt(i) == 'p' || p.charAt(i) == 'P') && i + 1 < p.length()
                            && p.charAt(i + 1) == '{') {
                        int close = p.indexOf('}', i);
                        i = close < 0 ? p.length() : close + 1;
                    } else {
                        i++;
                    }
                    last = 1;
                    total = add(total, last);
                }
                case '[' -> {
                    i = RegexClasses.end(p, i - 1) + 1;
                    last = 1;
                    total = add(total, last);
                }
                case '(' -> {
                    long inner = sequence(depth + 1);
                    last = add(inner, 1);
                    total = add(total, last);
                }
                case ')' -> {
                    if (depth > 0) {
                        return total;
                    }
                    total = add(total, 1);
                }
                case '|', '*', '+', '?' -> total = add(total, 1);
                case '{' -> {
                    int close = p.indexOf('}', i);
                    String inside = close < 0 ? "" : p.substring(i, close);
                    if (inside.matches("\\d{1,6}(,\\d{0,6})?")) {
                        String[] f = inside.split(",", -1);
                        long n = Long.parseLong(f[0]);
                        long m = f.length == 1 ? n : f[1].isEmpty() ? n + 1 : Long.parseLong(f[1]);
                        long mult = Math.max(1, Math.max(n, m));
                        long grown = mul(last, mult);
                        total = add(add(total, grown - last), 1);
                        last = grown;
                        i = close + 1;
                    } else {
                        last = 1;
                        total = add(total, 1);
                    }
                }
                default -> {
                    last = 1;
                    total = add(total, 1);
                }
            }
        }
        return total;
    }

    private static long add(long a, long b) {
        return Math.min(CAP, a + b);
    }

    private static long mul(long a, long b) {
        return a != 0 && b > CAP / a ? CAP : Math.min(CAP, a * b);
    }
}
