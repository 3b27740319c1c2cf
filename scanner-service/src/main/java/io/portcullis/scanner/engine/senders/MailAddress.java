package io.portcullis.scanner.engine.senders;

import java.net.IDN;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An address from a message in the form sender lists are stored in (see policy-service's SenderListValidator): local
 * part NFC-normalised and lower-cased, domain in ASCII ({@code xn--} labels) and lower-cased. Lenient on purpose: a
 * label that is not a valid host name label (too long, an underscore) is kept lower-cased rather than refused, so
 * that an odd subdomain cannot slip past a {@code *.domain} entry.
 *
 * @param local  the local part (unquoted), or null when there is none
 * @param domain the domain, never empty
 */
public record MailAddress(String local, String domain) {
    /** Longest address looked at; longer strings are not addresses (RFC 5321 allows 254). */
    static final int MAX_LENGTH = 1024;

    /** {@code local@domain}, or just the domain when there is no local part. */
    public String address() {
        return local == null ? domain : local + "@" + domain;
    }

    /**
     * The sender-list keys this address matches, most specific first: the address, the domain, then {@code *.d} for
     * the domain and each parent domain.
     */
    public List<String> senderKeys() {
        List<String> keys = new ArrayList<>();
        if (local != null) {
            keys.add(address());
        }
        keys.add(domain);
        String d = domain;
        while (true) {
            keys.add("*." + d);
            int dot = d.indexOf('.');
            if (dot < 0 || dot == d.length() - 1) {
                return keys;
            }
            d = d.substring(dot + 1);
        }
    }

    /** The address with its local part masked ({@code a***@example.com}), for details and logs. */
    public String masked() {
        return mask(address());
    }

    /** Masks the local part of an address ({@code a***@example.com}); other strings are returned as they are. */
    public static String mask(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        return (at == 0 ? "" : value.substring(0, value.offsetByCodePoints(0, 1))) + "***" + value.substring(at);
    }

    /**
     * Parses {@code local@domain} (optionally in angle brackets, the local part optionally quoted). Empty for the
     * null sender, strings without {@code @} or domain, and address literals.
     */
    public static Optional<MailAddress> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty() || s.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            return Optional.empty();
        }
        Optional<String> domain = domain(s.substring(at + 1));
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MailAddress(local(s.substring(0, at)), domain.get()));
    }

    /** A domain in sender-list form, or empty when it is no domain (an address literal, empty labels only). */
    public static Optional<String> domain(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String d = raw.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.startsWith("[") || d.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        // IDNA 2003 dot mapping, as IDN.toASCII does for the whole name
        d = d.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        StringBuilder out = new StringBuilder(d.length());
        for (String label : d.split("\\.", -1)) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(label(label));
        }
        return Optional.of(out.toString());
    }

    private static String label(String label) {
        try {
            return IDN.toASCII(label, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Normalizer.normalize(label, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        }
    }

    private static String local(String raw) {
        String l = raw;
        if (l.length() >= 2 && l.startsWith("\"") && l.endsWith("\"")) {
            StringBuilder unquoted = new StringBuilder();
            for (int i = 1; i < l.length() - 1; i++) {
                char c = l.charAt(i);
                if (c == '\\' && i + 1 < l.length() - 1) {
                    c = l.charAt(++i);
                }
                unquoted.append(c);
            }
            l = unquoted.toString();
        }
        return Normalizer.normalize(l, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
