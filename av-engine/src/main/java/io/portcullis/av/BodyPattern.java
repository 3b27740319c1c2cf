package io.portcullis.av;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed ndb-style hex body signature. Syntax honoured: hex bytes, {@code ??}, nibble wildcards {@code a?}/{@code ?a},
 * {@code *}, gaps {@code {n}}, {@code {n-}}, {@code {-n}}, {@code {n-m}}, alternatives {@code (aa|bb)} and
 * {@code (aabb|ccdd)} (all options of equal length, plain hex). Not yet: negated {@code !(..)}, word boundaries
 * {@code (B)}/{@code (L)}, {@code [n-m]} byte jumps, alternatives of different lengths.
 * Unbounded gaps split the pattern into {@link Part}s; each part needs an anchor of at least
 * {@link #MIN_ANCHOR} wildcard-free bytes.
 */
final class BodyPattern {
    static final int MIN_ANCHOR = 2;
    /** Largest bounded gap accepted; bounds the streaming overlap window. */
    static final int MAX_BOUNDED_GAP = 1 << 20;

    final Part[] parts;
    /** minGapBefore[k]: least bytes between the end of part k-1 and the start of part k (0 for k = 0). */
    final int[] minGapBefore;

    private BodyPattern(Part[] parts, int[] minGapBefore) {
        this.parts = parts;
        this.minGapBefore = minGapBefore;
    }

    private static final int BYTE = 0, ALT = 1, GAP = 2;

    private record Elem(int kind, int value, int mask, byte[][] options, int min, int max) {
        static Elem ofByte(int v, int m) { return new Elem(BYTE, v & m, m, null, 0, 0); }
        static Elem gap(int min, int max) { return new Elem(GAP, 0, 0, null, min, max); }
        int length() { return kind == ALT ? options[0].length : 1; }
    }

    /** Parses a hex body; throws IllegalArgumentException with a readable reason. */
    static BodyPattern parse(String hex) {
        if (hex.isEmpty()) throw new IllegalArgumentException("empty hex signature");
        List<Elem> elems = new ArrayList<>();
        int i = 0;
        int n = hex.length();
        while (i < n) {
            char c = hex.charAt(i);
            if (c == '*') {
                addGap(elems, 0, -1);
                i++;
            } else if (c == '{') {
                int j = hex.indexOf('}', i);
                if (j < 0) throw new IllegalArgumentException("unclosed '{' at column " + (i + 1));
                int[] g = parseGap(hex.substring(i + 1, j), i + 1);
                addGap(elems, g[0], g[1]);
                i = j + 1;
            } else if (c == '(') {
                int j = hex.indexOf(')', i);
                if (j < 0) throw new IllegalArgumentException("unbalanced parentheses: '(' at column " + (i + 1) + " is never closed");
                String inner = hex.substring(i + 1, j);
                if (inner.indexOf('(') >= 0) throw new IllegalArgumentException("nested parentheses at column " + (i + 1));
                elems.add(parseAlternatives(inner, i + 1));
                i = j + 1;
            } else if (c == ')' || c == '|' || c == '}') {
                throw new IllegalArgumentException("unbalanced '" + c + "' at column " + (i + 1));
            } else if (c == '!') {
                throw new IllegalArgumentException("negated alternatives '!(' are not yet supported (column " + (i + 1) + ")");
            } else {
                if (i + 1 >= n || "*{}()|!".indexOf(hex.charAt(i + 1)) >= 0) {
                    throw new IllegalArgumentException("odd number of hex digits (lone nibble at column " + (i + 1) + ")");
                }
                char d = hex.charAt(i + 1);
                int hi = nibble(c, i + 1);
                int lo = nibble(d, i + 2);
                int mask = (hi < 0 ? 0 : 0xF0) | (lo < 0 ? 0 : 0x0F);
                int value = ((hi < 0 ? 0 : hi) << 4) | (lo < 0 ? 0 : lo);
                elems.add(Elem.ofByte(value, mask));
                i += 2;
            }
        }
        if (elems.get(0).kind == GAP) throw new IllegalArgumentException("signature must not start with a gap or '*'");
        if (elems.get(elems.size() - 1).kind == GAP) throw new IllegalArgumentException("signature must not end with a gap or '*'");
        return build(elems);
    }

    private static void addGap(List<Elem> elems, int min, int max) {
        if (!elems.isEmpty() && elems.get(elems.size() - 1).kind == GAP) {
            Elem prev = elems.remove(elems.size() - 1);
            int nmax = prev.max < 0 || max < 0 ? -1 : prev.max + max;
            elems.add(Elem.gap(prev.min + min, nmax));
        } else {
            elems.add(Elem.gap(min, max));
        }
    }

    private static int[] parseGap(String s, int column) {
        try {
            int dash = s.indexOf('-');
            int min;
            int max;
            if (dash < 0) {
                min = Integer.parseInt(s);
                max = min;
            } else if (dash == 0) {
                min = 0;
                max = Integer.parseInt(s.substring(1));
            } else if (dash == s.length() - 1) {
                min = Integer.parseInt(s.substring(0, dash));
                max = -1;
            } else {
                min = Integer.parseInt(s.substring(0, dash));
                max = Integer.parseInt(s.substring(dash + 1));
            }
            if (min < 0 || (max != -1 && max < 0) || s.indexOf('+') >= 0) throw new NumberFormatException();
            if (max != -1 && max < min) {
                throw new IllegalArgumentException("bad gap {" + s + "} at column " + column + ": minimum greater than maximum");
            }
            if (max > MAX_BOUNDED_GAP || (max == -1 && min > MAX_BOUNDED_GAP)) {
                throw new IllegalArgumentException("gap {" + s + "} at column " + column + " is larger than " + MAX_BOUNDED_GAP);
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad gap {" + s + "} at column " + column);
        }
    }

    private static Elem parseAlternatives(String inner, int column) {
        String[] opts = inner.split("\\|", -1);
        byte[][] options = new byte[opts.length][];
        for (int k = 0; k < opts.length; k++) {
            String o = opts[k];
            if (o.isEmpty()) throw new IllegalArgumentException("empty alternative in group at column " + column);
            if (o.length() % 2 != 0) throw new IllegalArgumentException("odd number of hex digits in alternative '" + o + "' at column " + column);
            byte[] b = new byte[o.length() / 2];
            for (int j = 0; j < b.length; j++) {
                int hi = nibble(o.charAt(2 * j), column);
                int lo = nibble(o.charAt(2 * j + 1), column);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("wildcards inside alternatives are not yet supported (column " + column + ")");
                b[j] = (byte) (hi << 4 | lo);
            }
            if (k > 0 && b.length != options[0].length) {
                throw new IllegalArgumentException("alternatives of different lengths are not yet supported (column " + column + ")");
            }
            options[k] = b;
        }
        return new Elem(ALT, 0, 0, options, 0, 0);
    }

    /** Hex value, or -1 for '?'. */
    private static int nibble(char c, int column) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c == '?') return -1;
        throw new IllegalArgumentException("bad hex character '" + c + "' at column " + column);
    }

    private static BodyPattern build(List<Elem> elems) {
        List<Part> parts = new ArrayList<>();
        List<Integer> minGaps = new ArrayList<>();
        minGaps.add(0);
        int start = 0;
        for (int i = 0; i <= elems.size(); i++) {
            if (i == elems.size() || (elems.get(i).kind == GAP && elems.get(i).max < 0)) {
                parts.add(buildPart(elems.subList(start, i), parts.size()));
                if (i < elems.size()) minGaps.add(elems.get(i).min);
                start = i + 1;
            }
        }
        int[] mg = minGaps.stream().mapToInt(Integer::intValue).toArray();
        return new BodyPattern(parts.toArray(new Part[0]), mg);
    }

    private static Part buildPart(List<Elem> elems, int index) {
        List<Segment> segments = new ArrayList<>();
        List<int[]> gaps = new ArrayList<>();
        List<Elem> current = new ArrayList<>();
        for (Elem e : elems) {
            if (e.kind == GAP && e.min == e.max) {
                for (int k = 0; k < e.min; k++) current.add(Elem.ofByte(0, 0));
            } else if (e.kind == GAP) {
                segments.add(segment(current));
                current = new ArrayList<>();
                gaps.add(new int[] {e.min, e.max});
            } else {
                current.add(e);
            }
        }
        segments.add(segment(current));
        int bestSeg = -1, bestOff = 0, bestLen = 0;
        for (int s = 0; s < segments.size(); s++) {
            byte[] m = segments.get(s).mask;
            int run = 0;
            for (int k = 0; k <= m.length; k++) {
                if (k < m.length && m[k] == (byte) 0xFF) {
                    run++;
                } else {
                    if (run > bestLen) { bestLen = run; bestSeg = s; bestOff = k - run; }
                    run = 0;
                }
            }
        }
        if (bestLen < MIN_ANCHOR) {
            throw new IllegalArgumentException("longest fixed fragment" + (index > 0 ? " of part " + (index + 1) : "")
                + " is " + bestLen + " byte(s); at least " + MIN_ANCHOR + " wildcard-free bytes are required");
        }
        int[] gmin = gaps.stream().mapToInt(g -> g[0]).toArray();
        int[] gmax = gaps.stream().mapToInt(g -> g[1]).toArray();
        return new Part(segments.toArray(new Segment[0]), gmin, gmax, bestSeg, bestOff, bestLen);
    }

    private static Segment segment(List<Elem> elems) {
        int len = 0;
        for (Elem e : elems) len += e.length();
        byte[] value = new byte[len];
        byte[] mask = new byte[len];
        List<Integer> altPos = new ArrayList<>();
        List<byte[][]> altOpts = new ArrayList<>();
        int p = 0;
        for (Elem e : elems) {
            if (e.kind == ALT) {
                altPos.add(p);
                altOpts.add(e.options);
            } else {
                value[p] = (byte) e.value;
                mask[p] = (byte) e.mask;
            }
            p += e.length();
        }
        return new Segment(value, mask, altPos.stream().mapToInt(Integer::intValue).toArray(), altOpts.toArray(new byte[0][][]));
    }
}
