package io.portcullis.policy.service;

/** Input that fails validation; names the field. */
public final class InvalidPolicyException extends PolicyException {
    public InvalidPolicyException(String field, String message) {
        super(message, field);
    }
}
