package io.portcullis.policy.service;

/** The domain or rule to create already exists. */
public final class DuplicateEntryException extends PolicyException {
    public DuplicateEntryException(String field, String message) {
        super(message, field);
    }
}
