package io.portcullis.contracts.events;

/** What policy decided for a message. */
public enum Action {
    /** Deliver unchanged. */
    DELIVER,
    /** Deliver with the verdict's {@link Modifications} applied (subject tag, headers). */
    TAG,
    /** Keep in quarantine; do not deliver. */
    QUARANTINE,
    /** Drop silently. */
    DELETE,
    /** Refuse: at SMTP time where possible, otherwise treated like DELETE after acceptance. */
    REJECT;

    public boolean delivers() {
        return this == DELIVER || this == TAG;
    }
}
