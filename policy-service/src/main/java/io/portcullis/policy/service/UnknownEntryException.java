package io.portcullis.policy.service;

/** The addressed domain or rule does not exist. */
public final class UnknownEntryException extends PolicyException {
    public UnknownEntryException(String field, String message) {
        super(message, field);
    }
}
