package io.portcullis.policy.engine;

import java.util.Locale;
import java.util.Set;

/**
 * One entry of a rule scope: {@code *}, {@code user@example.com}, {@code *@example.com} or {@code example.com},
 * {@code *.example.com} (subdomains, not the domain itself), or {@code group:NAME} (a directory group by common name
 * or DN). Addresses compare case-insensitively.
 */
public final class AddressPattern {
    private enum Kind { ANY, ADDRESS, DOMAIN, SUBDOMAINS, GROUP }

    private final Kind kind;
    private final String value;

    private AddressPattern(Kind kind, String value) {
        this.kind = kind;
        this.value = value;
    }

    /** Parses an entry; {@code field} names it in the error. */
    public static AddressPattern parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new PolicyValidationException(field, "empty address pattern");
        }
        String t = text.strip();
        if (t.length() > 320) {
            throw new PolicyValidationException(field, "address pattern longer than 320 characters");
        }
        if (t.equals("*")) {
            return new AddressPattern(Kind.ANY, "*");
        }
        if (t.regionMatches(true, 0, "group:", 0, 6)) {
            String group = t.substring(6).strip();
            if (group.isEmpty()) {
                throw new PolicyValidationException(field, "group: needs a group name or DN");
            }
            return new AddressPattern(Kind.GROUP, group.toLowerCase(Locale.ROOT));
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("*@")) {
            return new AddressPattern(Kind.DOMAIN, domain(lower.substring(2), field));
        }
        if (lower.startsWith("*.")) {
            return new AddressPattern(Kind.SUBDOMAINS, domain(lower.substring(2), field));
        }
        int at = lower.lastIndexOf('@');
        if (at < 0) {
            return new AddressPattern(Kind.DOMAIN, domain(lower, field));
        }
        String local = lower.substring(0, at);
        if (local.isEmpty() || local.length() > 64 || local.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>'
                || c == '*' || c == 127)) {
            throw new PolicyValidationException(field, "'" + t + "' is not an address, domain, *, *@domain, *.domain"
                    + " or group:NAME");
        }
        return new AddressPattern(Kind.ADDRESS, local + "@" + domain(lower.substring(at + 1), field));
    }

    private static String domain(String d, String field) {
        String s = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        if (s.isEmpty() || s.length() > 253 || s.startsWith(".") || s.contains("..")
                || !s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                        || c > 127 && Character.isLetterOrDigit(c))) {
            throw new PolicyValidationException(field, "'" + d + "' is not a domain name");
        }
        return s;
    }

    /** Whether this pattern needs directory groups. */
    public boolean isGroup() {
        return kind == Kind.GROUP;
    }

    /**
     * Whether the address matches. {@code aliases} are other addresses of the same mailbox (may be empty);
     * {@code groups} are the lower-case names and DNs of the groups it belongs to, nested ones included.
     */
    public boolean matches(String address, Set<String> aliases, Set<String> groups) {
        String a = address == null ? "" : address.toLowerCase(Locale.ROOT);
        return switch (kind) {
            case ANY -> true;
            case GROUP -> groups.contains(value);
            case ADDRESS -> a.equals(value) || aliases.contains(value);
            case DOMAIN -> domainOf(a).equals(value) || aliases.stream().anyMatch(x -> domainOf(x).equals(value));
            case SUBDOMAINS -> domainOf(a).endsWith("." + value)
                    || aliases.stream().anyMatch(x -> domainOf(x).endsWith("." + value));
        };
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return kind == Kind.GROUP ? "group:" + value : kind == Kind.DOMAIN ? "*@" + value
                : kind == Kind.SUBDOMAINS ? "*." + value : value;
    }
}
