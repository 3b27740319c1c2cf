package io.portcullis.spam.rules;

/** Rule evaluation passed its deadline; the message was not (fully) evaluated and must not count as clean. */
public final class RuleTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuleTimeoutException(String message) {
        super(message);
    }
}
