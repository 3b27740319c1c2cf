package io.portcullis.policy.service;

/** The request is above a configured size or count limit (413). */
public final class TooLargeException extends PolicyException {
    public TooLargeException(String field, String message) {
        super(message, field);
    }
}
