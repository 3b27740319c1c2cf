package io.portcullis.policy.service;

/**
 * Who made a change, for the audit: the {@value #HEADER} header that admin-api sets from the authenticated user
 * (it never passes a caller's own header on), or {@value #SYSTEM} for calls without one (direct calls on the
 * internal port, the CLI without a user, scheduled jobs).
 */
public final class Actors {
    /** The request header carrying the user. */
    public static final String HEADER = "X-Portcullis-Actor";
    /** The actor of unattributed calls and of scheduled jobs. */
    public static final String SYSTEM = "system";
    /** Longest accepted actor name. */
    public static final int MAX_LENGTH = 128;

    private Actors() {
    }

    /** The actor named by a header value: stripped, bounded, no control characters; {@value #SYSTEM} when blank. */
    public static String of(String header) {
        if (header == null || header.isBlank()) {
            return SYSTEM;
        }
        String value = header.strip();
        if (value.length() > MAX_LENGTH) {
            throw new InvalidPolicyException(HEADER, HEADER + " is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new InvalidPolicyException(HEADER, HEADER + " may not contain control characters");
            }
        }
        return value;
    }
}
