package io.portcullis.quarantine.user;

import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The end user a request is for, as admin-api determined it from a verified token: {@code address} (the token's
 * email) and {@code addresses} (it plus its directory aliases, all lower case). {@code source} says how the aliases
 * were found (admin-api's word, echoed to the user: e.g. {@code directory-unavailable} means aliases are missing).
 */
public record Owner(String address, Set<String> addresses, String source) {
    public static final String HEADER = "X-Portcullis-Owner";
    public static final String SOURCE_HEADER = "X-Portcullis-Owner-Source";
    private static final Pattern SOURCE = Pattern.compile("^[a-z-]{1,40}$");

    /**
     * @throws QuarantineProblem INVALID when the header is missing or holds anything but plausible addresses: the
     *                           end-user API never falls back to "everything"
     */
    public static Owner parse(String header, String source, int maxAddresses) {
        if (header == null || header.isBlank()) {
            throw new QuarantineProblem(Kind.INVALID, HEADER + " is required");
        }
        String[] parts = header.split(",", -1);
        if (parts.length > maxAddresses) {
            throw new QuarantineProblem(Kind.INVALID, HEADER + " lists more than " + maxAddresses + " addresses");
        }
        Set<String> addresses = new LinkedHashSet<>();
        for (String part : parts) {
            String a = part.strip().toLowerCase(Locale.ROOT);
            int at = a.indexOf('@');
            if (a.length() > 320 || at < 1 || at == a.length() - 1 || a.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw new QuarantineProblem(Kind.INVALID, HEADER + " holds an implausible address");
            }
            addresses.add(a);
        }
        String s = source != null && SOURCE.matcher(source).matches() ? source : "unknown";
        return new Owner(addresses.iterator().next(), Set.copyOf(addresses), s);
    }

    /** For the answer: the primary address first. */
    public List<String> ordered() {
        return addresses.stream().sorted((a, b) -> a.equals(address) ? -1 : b.equals(address) ? 1 : a.compareTo(b))
                .toList();
    }
}
