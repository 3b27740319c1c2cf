package io.portcullis.spam.rules;

/**
 * The most code points one match of an RE2 pattern can span, or {@link #UNBOUNDED}. Conservative: anything the
 * analysis does not understand (unbounded repetition, {@code \Q...\E}, octal escapes, unknown groups) is unbounded.
 * Counting every pattern character as one code point can only overestimate. Used by {@link RuleSet} to search a long
 * text only around the occurrences of a rule's prefilter literals.
 */
final class RegexWidth {
    /** No bound (or not known). */
    static final int UNBOUNDED = -1;
    /** Widths above this are reported as unbounded. */
    static final int MAX_WIDTH = 100_000;

    private final String p;
    private int i;

    private RegexWidth(String pattern) {
        this.p = pattern;
    }

    /** Most code points a match spans, or {@link #UNBOUNDED}. */
    static int maxCodePoints(String pattern) {
        try {
            RegexWidth w = new RegexWidth(pattern);
            long width = w.alternation();
            if (w.i != pattern.length() || width < 0 || width > MAX_WIDTH) {
                return UNBOUNDED;
            }
            return (int) width;
        } catch (RuntimeException e) {
            return UNBOUNDED;
        }
    }

    private long alternation() {
        long max = 0;
        while (true) {
            long w = sequence();
            if (w < 0) {
                throw new IllegalArgumentException("unbounded");
            }
            max = Math.max(max, w);
            if (i < p.length() && p.charAt(i) == '|') {
                i++;
                continue;
            }
            return max;
        }
    }

    private long sequence() {
        long sum = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '|' || c == ')') {
                break;
            }
            long atom = atom();
            long times = quantifier();
            if (atom > 0 && times < 0) {
                throw new IllegalArgumentException("unbounded");
            }
            sum += atom * Math.max(times, 0);
            if (sum > MAX_WIDTH) {
                throw new IllegalArgumentException("too wide");
            }
        }
        return sum;
    }

    private long atom() {
        char c = p.charAt(i);
        if (c == '(') {
            i++;
            if (i < p.length() && p.charAt(i) == '?') {
                int j = i + 1;
                while (j < p.length() && (Character.isLetter(p.charAt(j)) || p.charAt(j) == '-')) {
                    j++;
                }
                if (j < p.length() && p.charAt(j) == ')') { // (?i) flags only
                    i = j + 1;
                    return 0;
                } else if (j < p.length() && p.charAt(j) == ':') {
                    i = j + 1;
                } else if (p.startsWith("?P<", i) || p.startsWith("?<", i)) {
                    int close = p.indexOf('>', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("bad group name");
                    }
                    i = close + 1;
                } else {
                    throw new IllegalArgumentException("unsupported group");
                }
            }
            long inner = alternation();
            if (i >= p.length() || p.charAt(i) != ')') {
                throw new IllegalArgumentException("unbalanced");
            }
            i++;
            return inner;
        }
        if (c == '[') {
            skipClass();
            return 1;
        }
        if (c == '^' || c == '$') {
            i++;
            return 0;
        }
        if (c == '\\') {
            if (i + 1 >= p.length()) {
                throw new IllegalArgumentException("trailing backslash");
            }
            char e = p.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'b', 'B', 'A', 'z' -> {
                    return 0;
                }
                case 'p', 'P', 'x' -> {
                    if (i < p.length() && p.charAt(i) == '{') {
                        int close = p.indexOf('}', i);
                        if (close < 0) {
                            throw new IllegalArgumentException("unclosed");
                        }
                        i = close + 1;
                    } else {
                        i = Math.min(p.length(), i + (e == 'x' ? 2 : 1));
                    }
                    return 1;
                }
                default -> {
                    if (e == 'Q' || e == 'E' || Character.isDigit(e)) {
                        throw new IllegalArgumentException("unsupported escape");
                    }
                    return 1;
                }
            }
        }
        if (c == '*' || c == '+' || c == '?' || c == ')') {
            throw new IllegalArgumentException("unexpected " + c);
        }
        i++;
        return 1; // literal character (a surrogate pair counts twice: an overestimate)
    }

    /** Consumes a quantifier if any: the most repetitions, 1 without one, -1 when unbounded. */
    private long quantifier() {
        if (i >= p.length()) {
            return 1;
        }
        char c = p.charAt(i);
        long times;
        if (c == '?') {
            times = 1;
            i++;
        } else if (c == '*' || c == '+') {
            times = -1;
            i++;
        } else if (c == '{') {
            int close = p.indexOf('}', i);
            String inside = close < 0 ? "" : p.substring(i + 1, close);
            if (!inside.matches("\\d+(,\\d*)?")) {
                return 1; // a literal brace: the next atom
            }
            if (!inside.matches("\\d{1,4}(,\\d{0,4})?")) {
                throw new IllegalArgumentException("repeat count too large");
            }
            int comma = inside.indexOf(',');
            times = comma < 0 ? Long.parseLong(inside)
                    : comma == inside.length() - 1 ? -1 : Long.parseLong(inside.substring(comma + 1));
            i = close + 1;
        } else {
            return 1;
        }
        if (i < p.length() && p.charAt(i) == '?') {
            i++; // lazy
        }
        if (i < p.length() && "*+?{".indexOf(p.charAt(i)) >= 0) {
            throw new IllegalArgumentException("nested repetition");
        }
        return times;
    }

    private void skipClass() {
        int close = RegexClasses.end(p, i);
        if (close >= p.length()) {
            throw new IllegalArgumentException("unbalanced class");
        }
        i = close + 1;
    }
}
