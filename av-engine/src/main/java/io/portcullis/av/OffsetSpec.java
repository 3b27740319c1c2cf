package io.portcullis.av;

/**
 * Where a body match must start. Honoured: {@code *} (anywhere), {@code n} and {@code n,m} (start in [n, n+m]),
 * {@code EOF-n} and {@code EOF-n,m} (start in [size-n, size-n+m]), and for executables (see {@link ExeInfo})
 * {@code EP+n}/{@code EP-n} (from the entry point's file offset), {@code Sx+n} (from the start of section x, PE) and
 * {@code SL+n} (last section), each with an optional {@code ,m}; an object without that entry point or section never
 * matches them. Recorded but scanned as "anywhere" (a limitation counted in the load report): {@code SEx} (within
 * section x) and {@code VI} (version information).
 *
 * @param section section number for {@link Kind#SECTION}
 */
record OffsetSpec(Kind kind, long value, long shift, int section, String text) {
    enum Kind { ANY, ABSOLUTE, FROM_EOF, ENTRY_POINT, SECTION, LAST_SECTION, UNSUPPORTED_AS_ANY }

    static final OffsetSpec ANY = new OffsetSpec(Kind.ANY, 0, 0, 0, "*");

    static OffsetSpec parse(String s) {
        if (s.equals("*")) return ANY;
        if (s.startsWith("SE") || s.startsWith("VI")) return new OffsetSpec(Kind.UNSUPPORTED_AS_ANY, 0, 0, 0, s);
        Kind kind = Kind.ABSOLUTE;
        String rest = s;
        int section = 0;
        long sign = 1;
        if (s.startsWith("EOF-")) {
            kind = Kind.FROM_EOF;
            rest = s.substring(4);
        } else if (s.startsWith("EP+") || s.startsWith("EP-")) {
            kind = Kind.ENTRY_POINT;
            sign = s.charAt(2) == '-' ? -1 : 1;
            rest = s.substring(3);
        } else if (s.startsWith("SL+")) {
            kind = Kind.LAST_SECTION;
            rest = s.substring(3);
        } else if (s.startsWith("S") && s.length() > 1 && Character.isDigit(s.charAt(1))) {
            int plus = s.indexOf('+');
            if (plus < 0) throw new IllegalArgumentException("bad offset '" + s + "': expected Sx+n");
            kind = Kind.SECTION;
            section = (int) number(s.substring(1, plus), s);
            if (section >= ExeInfo.MAX_SECTIONS) throw new IllegalArgumentException("bad offset '" + s + "': section number too large");
            rest = s.substring(plus + 1);
        }
        String[] vs = rest.split(",", -1);
        if (vs.length > 2) throw new IllegalArgumentException("bad offset '" + s + "'");
        long v = sign * number(vs[0], s);
        long shift = vs.length == 2 ? number(vs[1], s) : 0;
        return new OffsetSpec(kind, v, shift, section, s);
    }

    /** Whether the offset needs the object's entry point or sections. */
    boolean executable() {
        return kind == Kind.ENTRY_POINT || kind == Kind.SECTION || kind == Kind.LAST_SECTION;
    }

    private static long number(String v, String whole) {
        if (v.isEmpty() || v.length() > 12) throw new IllegalArgumentException("bad offset '" + whole + "'");
        for (int i = 0; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) throw new IllegalArgumentException("bad offset '" + whole + "'");
        }
        return Long.parseLong(v);
    }
}
