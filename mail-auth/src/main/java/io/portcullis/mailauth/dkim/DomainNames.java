package io.portcullis.mailauth.dkim;

/** Syntax checks of domain names as DKIM uses them. */
public final class DomainNames {
    private DomainNames() {
    }

    /** A host name of LDH labels (letters, digits, hyphen; 1 to 63 each, not starting or ending in '-'). */
    public static boolean valid(String d) {
        if (d.isEmpty() || d.length() > 253 || d.startsWith(".") || d.endsWith(".")) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c == '-' || c < 0x80 && Character.isLetterOrDigit(c))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The DNS name of a key record, {@code selector._domainkey.domain} without the trailing dot, or null when
     * {@code d=} is no domain with at least two labels or the name cannot be asked (an empty or over-long label, over
     * 253 characters). The scanner's checks before the move: its SPF domain check for {@code d=} and a valid dnsjava
     * name for the whole.
     */
    static String keyName(String selector, String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty() || d.length() > 253 || d.indexOf('.') < 0 || d.startsWith("[")) {
            return null;
        }
        String name = selector + "._domainkey." + d;
        if (name.length() > 253) {
            return null;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return null;
            }
        }
        return name;
    }
}
