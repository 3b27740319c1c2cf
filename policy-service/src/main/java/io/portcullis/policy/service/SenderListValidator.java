package io.portcullis.policy.service;

import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.policy.api.SenderListRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks and normalises sender-list input. Pure: no database, no clock. Every error names its field.
 *
 * <p>Normal form (what is stored, served in the snapshot and matched by the scanner): surrounding white space
 * removed; domains converted to ASCII with {@link IDN#toASCII} (IDNA 2003 with STD3 rules: a Unicode name becomes its
 * {@code xn--} form, full-width dots become dots) and lower-cased; local parts NFC-normalised and lower-cased (mail
 * systems treat them case-insensitively in practice). Lengths follow RFC 5321: local part 64 octets, domain 253
 * characters, label 63, address 254. Refused: quoted local parts, address literals ({@code user@[192.0.2.1]}),
 * all-numeric top-level labels (IP addresses), white space, control and bidirectional-override characters, and any
 * {@code *} other than an owner of exactly {@code *} or a sender starting with {@code *.}.
 */
@ApplicationScoped
public class SenderListValidator {
    public static final int MAX_ADDRESS_LENGTH = 254;
    public static final int MAX_LOCAL_OCTETS = 64;
    public static final int MAX_DOMAIN_LENGTH = 253;
    public static final int MAX_NOTE_LENGTH = 500;
    public static final int MAX_ACTOR_LENGTH = 128;
    /** Entries in one bulk import. */
    public static final int MAX_IMPORT = 1000;
    /** The owner that stands for every recipient of the tenant. */
    public static final String EVERYONE = "*";
    /** Who made a change when the caller did not say (direct calls; admin-api always sends the user). */
    public static final String DEFAULT_ACTOR = "api";
    public static final String ACTOR_FIELD = "X-Portcullis-Actor";

    /** Raw input longer than this is refused before any processing. */
    private static final int MAX_RAW_LENGTH = 1024;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final String ATEXT = "!#$%&'*+-/=?^_`{|}~";

    /** Validates a whole request. */
    public ValidSenderEntry entry(SenderListRequest request) {
        return entry(request, "");
    }

    /** Validates one request; {@code prefix} is put before field names (e.g. {@code entries[3].}). */
    public ValidSenderEntry entry(SenderListRequest request, String prefix) {
        if (request == null) {
            throw new InvalidPolicyException(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "a JSON object with owner, sender and kind is required");
        }
        return new ValidSenderEntry(owner(request.owner(), prefix + "owner"), sender(request.sender(),
                prefix + "sender"), kind(request.kind(), prefix + "kind"), note(request.note(), prefix + "note"));
    }

    /** {@code *}, a domain or an address. */
    public String owner(String raw, String field) {
        String value = prepare(raw, field);
        if (value.equals(EVERYONE)) {
            return EVERYONE;
        }
        if (value.indexOf('*') >= 0) {
            throw new InvalidPolicyException(field, field + ": a wildcard owner can only be \"*\" (the whole tenant)");
        }
        return value.indexOf('@') >= 0 ? address(value, field) : domain(value, field, 2);
    }

    /** An address, a domain, or {@code *.domain}. */
    public String sender(String raw, String field) {
        String value = prepare(raw, field);
        if (value.equals(EVERYONE)) {
            throw new InvalidPolicyException(field, field
                    + ": \"*\" would list every sender; give an address, a domain or *.domain");
        }
        if (value.startsWith("*.")) {
            String domain = value.substring(2);
            if (domain.indexOf('*') >= 0) {
                throw new InvalidPolicyException(field, field + ": only one leading \"*.\" is allowed");
            }
            return "*." + domain(domain, field, 1);
        }
        if (value.indexOf('*') >= 0) {
            throw new InvalidPolicyException(field, field
                    + ": a wildcard is only allowed as a leading \"*.\" (e.g. *.example.com)");
        }
        return value.indexOf('@') >= 0 ? address(value, field) : domain(value, field, 2);
    }

    public SenderListEntry.Kind kind(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidPolicyException(field, field + " is required: SAFE or BLOCKED");
        }
        String value = raw.strip().toUpperCase(Locale.ROOT);
        return switch (value) {
            case "SAFE" -> SenderListEntry.Kind.SAFE;
            case "BLOCKED" -> SenderListEntry.Kind.BLOCKED;
            default -> throw new InvalidPolicyException(field, field + " must be SAFE or BLOCKED");
        };
    }

    /** Optional; null when absent or blank. */
    public String note(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.strip();
        if (value.length() > MAX_NOTE_LENGTH) {
            throw new InvalidPolicyException(field, field + " is longer than " + MAX_NOTE_LENGTH + " characters");
        }
        requirePlain(field, value);
        return value;
    }

    /** Who made the change: the actor header, or {@value #DEFAULT_ACTOR}. */
    public String actor(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_ACTOR;
        }
        String value = raw.strip();
        if (value.length() > MAX_ACTOR_LENGTH) {
            throw new InvalidPolicyException(ACTOR_FIELD, ACTOR_FIELD + " is longer than " + MAX_ACTOR_LENGTH
                    + " characters");
        }
        requirePlain(ACTOR_FIELD, value);
        return value;
    }

    /** Non-null, stripped, bounded, without white space or control characters inside. */
    private static String prepare(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidPolicyException(field, field + " is required");
        }
        if (raw.length() > MAX_RAW_LENGTH) {
            throw new InvalidPolicyException(field, field + " is longer than " + MAX_ADDRESS_LENGTH + " characters");
        }
        String value = raw.strip();
        if (value.indexOf('"') >= 0) {
            throw new InvalidPolicyException(field, field + ": quoted local parts are not supported");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidPolicyException(field, field + " may not contain white space");
            }
        }
        requirePlain(field, value);
        for (int i = 0; i < value.length(); i++) {
            if (Character.getType(value.charAt(i)) == Character.FORMAT) {
                throw new InvalidPolicyException(field, field + " may not contain invisible formatting characters"
                        + " (zero-width spaces and joiners, soft hyphens)");
            }
        }
        return value;
    }

    private static String address(String value, String field) {
        int at = value.lastIndexOf('@');
        String local = value.substring(0, at);
        String domainPart = value.substring(at + 1);
        if (local.indexOf('@') >= 0) {
            throw new InvalidPolicyException(field, field + ": an address has exactly one @");
        }
        if (local.isEmpty()) {
            throw new InvalidPolicyException(field, field + ": the part before @ is empty");
        }
        if (local.indexOf('"') >= 0 || local.indexOf('\\') >= 0) {
            throw new InvalidPolicyException(field, field + ": quoted local parts are not supported");
        }
        if (domainPart.startsWith("[")) {
            throw new InvalidPolicyException(field, field
                    + ": address literals ([IP]) are not supported; give a domain");
        }
        String normalLocal = localPart(local, field);
        String address = normalLocal + "@" + domain(domainPart, field, 2);
        if (address.length() > MAX_ADDRESS_LENGTH) {
            throw new InvalidPolicyException(field, field + ": an address is at most " + MAX_ADDRESS_LENGTH
                    + " characters");
        }
        return address;
    }

    /** A dot-atom: ASCII atext or non-ASCII letters, digits and marks (SMTPUTF8), no empty dot-separated piece. */
    private static String localPart(String local, String field) {
        String normal = Normalizer.normalize(local, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (normal.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_OCTETS) {
            throw new InvalidPolicyException(field, field + ": the part before @ is longer than " + MAX_LOCAL_OCTETS
                    + " octets");
        }
        if (normal.startsWith(".") || normal.endsWith(".") || normal.contains("..")) {
            throw new InvalidPolicyException(field, field + ": the part before @ has an empty dot-separated piece");
        }
        for (int i = 0; i < normal.length(); ) {
            int cp = normal.codePointAt(i);
            boolean ok = cp < 0x80
                    ? (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '.' || ATEXT.indexOf(cp) >= 0
                    : Character.isLetterOrDigit(cp) || isMark(cp);
            if (!ok) {
                throw new InvalidPolicyException(field, field + ": the part before @ may only contain letters, digits"
                        + " and " + ATEXT + ".");
            }
            i += Character.charCount(cp);
        }
        return normal;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /**
     * A host name in ASCII form with at least {@code minLabels} labels; Unicode names are converted to their
     * {@code xn--} form.
     */
    static String domain(String value, String field, int minLabels) {
        String ascii;
        try {
            ascii = IDN.toASCII(value, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(field, field + ": not a valid domain name");
        }
        if (ascii.length() > MAX_DOMAIN_LENGTH) {
            throw new InvalidPolicyException(field, field + ": a domain is at most " + MAX_DOMAIN_LENGTH
                    + " characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < minLabels) {
            throw new InvalidPolicyException(field, field + ": a domain needs at least " + minLabels
                    + " labels, e.g. example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidPolicyException(field, field + ": not a valid domain name (labels of 1-63 letters,"
                        + " digits and inner hyphens, separated by single dots)");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidPolicyException(field, field + ": IP addresses are not supported; give a domain");
        }
        return ascii;
    }

    /** No control characters, Unicode line separators, or bidirectional overrides and isolates. */
    private static void requirePlain(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\uFEFF') {
                throw new InvalidPolicyException(field, field + " may not contain control or direction-override"
                        + " characters");
            }
        }
    }
}
