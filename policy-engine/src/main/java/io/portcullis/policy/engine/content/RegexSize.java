package io.portcullis.policy.engine.content;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A cheap estimate of the size of the program RE2 would compile a pattern to: every atom counts one, and a counted
 * repetition {@code {n}}, {@code {n,}} or {@code {n,m}} multiplies its atom (a group included) by its largest count.
 * RE2/J expands counted repetitions into copies before it can report {@code programSize()}, so a nested pattern such
 * as {@code ((a{1,1000}){1,1000}){1,1000}} would exhaust the heap while compiling; this estimate lets
 * {@link PatternMatcher} refuse such a pattern first. Escapes, {@code \Q...\E} and character classes count as one
 * atom; the estimate saturates instead of overflowing.
 */
final class RegexSize {

    private static final long SATURATED = Long.MAX_VALUE / 4;

    private RegexSize() {
    }

    static long estimate(String pattern) {
        Deque<long[]> groups = new ArrayDeque<>();
        long size = 0;
        long lastAtom = 0;
        int n = pattern.length();
        int i = 0;
        while (i < n) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == 'Q') {
                        int end = pattern.indexOf("\\E", i + 2);
                        int literalEnd = end < 0 ? n : end;
                        size = add(size, literalEnd - (i + 2));
                        lastAtom = 1;
                        i = end < 0 ? n : end + 2;
                        continue;
                    }
                    i = skipEscape(pattern, i);
                    size = add(size, 1);
                    lastAtom = 1;
                    continue;
                }
                case '[' -> {
                    i = skipClass(pattern, i);
                    size = add(size, 1);
                    lastAtom = 1;
                    continue;
                }
                case '(' -> {
                    groups.push(new long[] {size});
                    size = 0;
                    lastAtom = 0;
                }
                case ')' -> {
                    long inner = size;
                    size = groups.isEmpty() ? inner : add(groups.pop()[0], inner);
                    lastAtom = inner;
                }
                case '{' -> {
                    int close = pattern.indexOf('}', i);
                    long count = close < 0 ? -1 : repeatCount(pattern.substring(i + 1, close));
                    if (count >= 0 && lastAtom > 0) {
                        long repeated = multiply(lastAtom, Math.max(count, 1));
                        size = add(size, repeated - lastAtom);
                        lastAtom = repeated;
                        i = close + 1;
                        continue;
                    }
                    size = add(size, 1);
                    lastAtom = 1;
                }
                case '|' -> lastAtom = 0;
                case '*', '+', '?' -> {
                    // one loop instruction; the atom is not copied
                }
                default -> {
                    size = add(size, 1);
                    lastAtom = 1;
                }
            }
            i++;
        }
        while (!groups.isEmpty()) {
            size = add(groups.pop()[0], size);
        }
        return size;
    }

    /** The largest count of "n", "n," or "n,m", or -1 when the braces are not a repetition. */
    private static long repeatCount(String body) {
        int comma = body.indexOf(',');
        String low = comma < 0 ? body : body.substring(0, comma);
        String high = comma < 0 ? "" : body.substring(comma + 1);
        if (!isNumber(low) || (!high.isEmpty() && !isNumber(high))) {
            return -1;
        }
        return Math.max(parse(low), high.isEmpty() ? 0 : parse(high));
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parse(String digits) {
        return digits.length() > 9 ? SATURATED : Long.parseLong(digits);
    }

    private static int skipEscape(String pattern, int at) {
        if (at + 1 >= pattern.length()) {
            return pattern.length();
        }
        char kind = pattern.charAt(at + 1);
        int i = at + 2;
        if ((kind == 'p' || kind == 'P' || kind == 'x') && i < pattern.length() && pattern.charAt(i) == '{') {
            int close = pattern.indexOf('}', i);
            return close < 0 ? pattern.length() : close + 1;
        }
        return i;
    }

    private static int skipClass(String pattern, int at) {
        int i = at + 1;
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++;
        }
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '[' && i + 1 < pattern.length() && pattern.charAt(i + 1) == ':') {
                int close = pattern.indexOf(":]", i + 2);
                i = close < 0 ? i + 1 : close + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return pattern.length();
    }

    private static long add(long a, long b) {
        return Math.min(SATURATED, a + b);
    }

    private static long multiply(long a, long b) {
        if (a != 0 && b > SATURATED / a) {
            return SATURATED;
        }
        return Math.min(SATURATED, a * b);
    }
}
