package io.portcullis.av;

/**
 * Where a body match must start. Honoured: {@code *} (anywhere), {@code n} and {@code n,m} (start in [n, n+m]),
 * {@code EOF-n} and {@code EOF-n,m} (start in [size-n, size-n+m]). Recorded but scanned as "anywhere" (limitation until
 * the engine parses executables): {@code EP+n}, {@code EP-n}, {@code Sx+n}, {@code SL+n}, {@code SE}, {@code VI}.
 */
record OffsetSpec(Kind kind, long value, long shift, String text) {
    enum Kind { ANY, ABSOLUTE, FROM_EOF, UNSUPPORTED_AS_ANY }

    static final OffsetSpec ANY = new OffsetSpec(Kind.ANY, 0, 0, "*");

    static OffsetSpec parse(String s) {
        if (s.equals("*")) return ANY;
        if (s.startsWith("EP+") || s.startsWith("EP-") || s.startsWith("SL+") || s.startsWith("SE")
            || s.startsWith("VI") || (s.startsWith("S") && s.length() > 1 && Character.isDigit(s.charAt(1)))) {
            return new OffsetSpec(Kind.UNSUPPORTED_AS_ANY, 0, 0, s);
        }
        Kind kind = Kind.ABSOLUTE;
        String rest = s;
        if (s.startsWith("EOF-")) {
            kind = Kind.FROM_EOF;
            rest = s.substring(4);
        }
        String[] vs = rest.split(",", -1);
        if (vs.length > 2) throw new IllegalArgumentException("bad offset '" + s + "'");
        long v = number(vs[0], s);
        long shift = vs.length == 2 ? number(vs[1], s) : 0;
        return new OffsetSpec(kind, v, shift, s);
    }

    private static long number(String v, String whole) {
        if (v.isEmpty() || v.length() > 12) throw new IllegalArgumentException("bad offset '" + whole + "'");
        for (int i = 0; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) throw new IllegalArgumentException("bad offset '" + whole + "'");
        }
        return Long.parseLong(v);
    }
}
