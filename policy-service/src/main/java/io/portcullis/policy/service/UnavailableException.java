package io.portcullis.policy.service;

/** A dependency (object storage) or loaded state needed to answer is not available right now (503). */
public final class UnavailableException extends PolicyException {
    public UnavailableException(String message) {
        super(message, null);
    }
}
