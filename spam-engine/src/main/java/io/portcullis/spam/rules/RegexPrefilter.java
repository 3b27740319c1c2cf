package io.portcullis.spam.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Literal strings a pattern cannot match without, as alternatives of conjunctions (lower case): the pattern can only
 * match a text whose lower-case form contains every string of at least one conjunction. Checked with
 * {@link String#contains} before the (much slower) regular-expression search, so a phrase rule costs a few
 * {@code indexOf} calls on mail that has none of its words. Conservative: anything the analysis does not understand
 * contributes no literal, and a pattern that may match without any literal gets no prefilter ({@code null}).
 * Lower-casing both sides makes it valid for case-insensitive patterns too (up to the rare characters whose case
 * folding differs from {@code toLowerCase}, e.g. U+017F LATIN SMALL LETTER LONG S).
 */
final class RegexPrefilter {
    /** Most conjunctions kept; beyond, the extra information is dropped (still conservative). */
    private static final int MAX_TERMS = 64;
    private static final String META = "\\^$.|?*+()[]{}";

    private final String p;
    private int i;

    private RegexPrefilter(String pattern) {
        this.p = pattern;
    }

    /** The alternatives (each a list of required lower-case literals), or null when there is no useful prefilter. */
    static List<List<String>> of(String pattern) {
        try {
            RegexPrefilter r = new RegexPrefilter(pattern);
            List<List<String>> dnf = r.alternation();
            if (r.i < pattern.length() || dnf == null) {
                return null;
            }
            for (List<String> and : dnf) {
                if (and.isEmpty()) {
                    return null;
                }
            }
            return dnf;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the lower-case text may contain a match. */
    static boolean mayMatch(List<List<String>> dnf, String lowerText) {
        for (List<String> and : dnf) {
            boolean all = true;
            for (String lit : and) {
                if (!lowerText.contains(lit)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** alternation := sequence ('|' sequence)*; null when some alternative may match without a literal. */
    private List<List<String>> alternation() {
        List<List<String>> out = new ArrayList<>();
        boolean unknown = false;
        while (true) {
            List<List<String>> seq = sequence();
            if (seq == null || seq.stream().anyMatch(List::isEmpty)) {
                unknown = true;
            } else {
                out.addAll(seq);
            }
            if (i < p.length() && p.charAt(i) == '|') {
                i++;
                continue;
            }
            break;
        }
        return unknown ? null : out.size() > MAX_TERMS ? null : out;
    }

    private List<List<String>> sequence() {
        List<List<String>> acc = new ArrayList<>();
        acc.add(new ArrayList<>());
        StringBuilder run = new StringBuilder();
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '|' || c == ')') {
                break;
            }
            if (c == '(') {
                i++;
                List<List<String>> inner;
                if (i < p.length() && p.charAt(i) == '?') {
                    int j = i + 1;
                    while (j < p.length() && Character.isLetter(p.charAt(j)) || j < p.length() && p.charAt(j) == '-') {
                        j++;
                    }
                    if (j < p.length() && p.charAt(j) == ')') { // (?i) inline flags
                        i = j + 1;
                        flush(acc, run);
                        continue;
                    }
                    if (j < p.length() && p.charAt(j) == ':') {
                        i = j + 1;
                    } else if (p.startsWith("?P<", i) || p.startsWith("?<", i)) {
                        i = p.indexOf('>', i) + 1;
                    } else {
                        throw new IllegalArgumentException("unsupported group");
                    }
                }
                inner = alternation();
                if (i >= p.length() || p.charAt(i) != ')') {
                    throw new IllegalArgumentException("unbalanced");
                }
                i++;
                flush(acc, run);
                if (!optionalQuantifier() && inner != null) {
                    acc = cross(acc, inner);
                }
                continue;
            }
            if (c == '[') {
                skipClass();
                flush(acc, run);
                optionalQuantifier();
                continue;
            }
            if (c == '.' || c == '^' || c == '$') {
                i++;
                flush(acc, run);
                optionalQuantifier();
                continue;
            }
            Character lit = null;
            if (c == '\\') {
                char e = p.charAt(i + 1);
                i += 2;
                if (e == 'p' || e == 'P') {
                    if (i < p.length() && p.charAt(i) == '{') {
                        i = p.indexOf('}', i) + 1;
                    } else {
                        i++;
                    }
                } else if (e == 'x') {
                    if (i < p.length() && p.charAt(i) == '{') {
                        i = p.indexOf('}', i) + 1;
                    } else {
                        i = Math.min(p.length(), i + 2);
                    }
                } else if (e == 'Q') {
                    throw new IllegalArgumentException("\\Q quoting");
                } else if (Character.isDigit(e)) {
                    while (i < p.length() && Character.isDigit(p.charAt(i))) {
                        i++;
                    }
                } else if (e == 'n') {
                    lit = '\n';
                } else if (e == 't') {
                    lit = '\t';
                } else if (!Character.isLetterOrDigit(e)) {
                    lit = e;
                }
            } else if (META.indexOf(c) >= 0) {
                throw new IllegalArgumentException("unexpected " + c);
            } else {
                lit = c;
                i++;
            }
            if (lit == null) {
                flush(acc, run);
                optionalQuantifier();
                continue;
            }
            int before = i;
            if (optionalQuantifier()) {
                flush(acc, run); // the character may be absent
            } else if (i != before) {
                run.append(lit); // required at least once, but what follows is not adjacent for sure
                flush(acc, run);
            } else {
                run.append(lit);
            }
        }
        flush(acc, run);
        return acc;
    }

    /**
     * Consumes a quantifier after an atom, if any.
     *
     * @return true when it allows zero repetitions ({@code ? * {0,...}})
     */
    private boolean optionalQuantifier() {
        if (i >= p.length()) {
            return false;
        }
        char c = p.charAt(i);
        boolean optional;
        if (c == '?' || c == '*') {
            optional = true;
            i++;
        } else if (c == '+') {
            optional = false;
            i++;
        } else if (c == '{') {
            int close = p.indexOf('}', i);
            String inside = close < 0 ? "" : p.substring(i + 1, close);
            if (!inside.matches("\\d+(,\\d*)?")) {
                return false; // a literal brace
            }
            optional = Integer.parseInt(inside.split(",")[0]) == 0;
            i = close + 1;
        } else {
            return false;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            i++; // lazy or possessive marker
        }
        return optional;
    }

    private void skipClass() {
        int close = RegexClasses.end(p, i);
        if (close >= p.length()) {
            throw new IllegalArgumentException("unbalanced class");
        }
        i = close + 1;
    }

    private static void flush(List<List<String>> acc, StringBuilder run) {
        if (run.length() > 0) {
            String lit = run.toString().toLowerCase(Locale.ROOT);
            for (List<String> and : acc) {
                and.add(lit);
            }
            run.setLength(0);
        }
    }

    private static List<List<String>> cross(List<List<String>> acc, List<List<String>> inner) {
        if ((long) acc.size() * inner.size() > MAX_TERMS) {
            return acc; // drop the group's information: still conservative
        }
        List<List<String>> out = new ArrayList<>();
        for (List<String> a : acc) {
            for (List<String> b : inner) {
                List<String> both = new ArrayList<>(a);
                both.addAll(b);
                out.add(both);
            }
        }
        return out;
    }
}
