package io.portcullis.quarantine.digest;

/** A digest link that must not act; the reason says why (each maps to one clear page in admin-api). */
public class LinkRefused extends RuntimeException {

    public enum Reason {
        /** Not a token we signed: malformed, forged, or altered after signing. */
        INVALID(403),
        /** Signed by us, but past its expiry. */
        EXPIRED(410),
        /** Signed by us and used before. */
        USED(409),
        /** The item is gone, no longer held for this recipient, or the action is not allowed for it. */
        NOT_APPLICABLE(409),
        /** A dependency failed; the link was not used and still works. */
        UNAVAILABLE(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public LinkRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
