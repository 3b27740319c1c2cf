package io.portcullis.quarantine.service;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Canonical form of recipient addresses for ownership: trimmed, without angle brackets, lower case. */
public final class Addresses {
    /** Longest address accepted (RFC 5321 path limit plus slack). */
    public static final int MAX_LENGTH = 320;

    private Addresses() {
    }

    public static String canonical(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.length() >= 2 && a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).strip();
        }
        return a.toLowerCase(Locale.ROOT);
    }

    /**
     * @return the canonical addresses, in order, without duplicates
     * @throws QuarantineProblem INVALID naming {@code field} for a blank, over-long or control-character address
     */
    public static Set<String> canonicalSet(String field, Collection<String> addresses) {
        Set<String> out = new LinkedHashSet<>();
        if (addresses == null) {
            return out;
        }
        for (String address : addresses) {
            String c = canonical(address);
            if (c == null || c.isEmpty() || c.length() > MAX_LENGTH || c.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw QuarantineProblem.invalid(field, field + " holds a blank or implausible address");
            }
            out.add(c);
        }
        return out;
    }
}
